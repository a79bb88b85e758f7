import * as E from 'fp-ts/lib/Either.js';
import { type CreditBalance, emptyBalance } from '../credit-ledger/credit-ledger.js';
import type { Contact, Quote } from '../quote/quote.js';
import type { ApprovedSend, ApprovedSigner } from '../send-rules/send-preconditions.js';
import type { UserActor } from '../shared/actor.js';
import { sha256Hex } from '../shared/hash.js';
import type { EmailAddress, MobileNumber, Sha256Hex } from '../shared/types.js';
import { createProcedure, type NewProcedure } from '../signature-procedure/create-procedure.js';
import { markSent } from '../signature-procedure/lifecycle-transitions.js';
import type {
  SignatureProcedure,
  SigningOrder,
  Transition,
} from '../signature-procedure/signature-procedure.js';
import { open, requestCode, verifyCode } from '../signature-procedure/signer-transitions.js';
import { codeSubject } from '../signature-procedure/signers.js';
import { hashCode } from '../sms-code/sms-code.js';
import { defaultTenantSettings, type TenantSettings } from '../tenant-settings/tenant-settings.js';

/** Fixed instants: tests never read the machine's clock. */
export const T0 = new Date('2025-03-20T10:00:00.000Z');
export const seconds = (n: number): number => n * 1000;
export const minutes = (n: number): number => n * 60_000;
export const days = (n: number): number => n * 86_400_000;
export const at = (base: Date, offsetMs: number): Date => new Date(base.getTime() + offsetMs);

export const TENANT = 'tenant-1';
export const CODE_KEY = 'test-code-key';

export const activeSettings: TenantSettings = { ...defaultTenantSettings('Acme'), esignatureActive: true };

export const sender: UserActor = { kind: 'user', tenantId: TENANT, userId: 'user-1', role: 'user' };
export const admin: UserActor = { kind: 'user', tenantId: TENANT, userId: 'admin-1', role: 'admin' };

export const contact: Contact = {
  id: 'contact-1',
  firstName: 'Camille',
  lastName: 'Martin',
  email: 'camille.martin@example.fr',
  mobile: '06 12 34 56 78',
};

export const documentBytes = new TextEncoder().encode('%PDF-1.7 quote Q-2025-001');

export const quote: Quote = {
  id: 'quote-1',
  tenantId: TENANT,
  number: 'Q-2025-001',
  ownerId: 'user-1',
  opportunityId: 'opp-1',
  contact,
  document: { fileName: 'Q-2025-001.pdf', bytes: documentBytes },
};

export const approvedSigner: ApprovedSigner = {
  role: 'contact',
  reference: 'contact-1',
  identity: {
    name: 'Camille Martin',
    email: 'camille.martin@example.fr' as EmailAddress,
    mobile: '+33612345678' as MobileNumber,
  },
};

/** The n-th of several signers (0-based): distinct name, email and mobile; the last may countersign. */
export const nthSigner = (position: number, role: ApprovedSigner['role'] = 'contact'): ApprovedSigner =>
  position === 0 && role === 'contact'
    ? approvedSigner
    : {
        role,
        reference: `${role}-${position + 1}`,
        identity: {
          name: `Signer ${position + 1}`,
          email: `signer${position + 1}@example.fr` as EmailAddress,
          mobile: `+336123456${String(10 + position).padStart(2, '0')}` as MobileNumber,
        },
      };

export const approved: ApprovedSend = {
  signers: [approvedSigner],
  signingOrder: 'sequential',
  document: { fileName: 'Q-2025-001.pdf', bytes: documentBytes },
};

/** What the rules approve for `count` signers in `order`. */
export const approvedFor = (count: number, order: SigningOrder = 'sequential'): ApprovedSend => ({
  signers: Array.from({ length: count }, (_, position) => nthSigner(position)),
  signingOrder: order,
  document: approved.document,
});

/** One token per signer: the first keeps the one-signer fixtures' values. */
export const tokensFor = (count: number): NewProcedure['tokens'] =>
  Array.from({ length: count }, (_, position) => ({
    tokenHash: sha256Hex(position === 0 ? 'token' : `token-${position + 1}`) as Sha256Hex,
    sealedToken: position === 0 ? 'sealed-token' : `sealed-token-${position + 1}`,
  }));

export const balanceWith = (available: number): CreditBalance => ({
  ...emptyBalance,
  purchased: available,
  available,
});

export const newProcedure = (overrides: Partial<NewProcedure> = {}): NewProcedure => ({
  id: 'proc-1',
  tenantId: TENANT,
  quoteId: 'quote-1',
  quoteNumber: 'Q-2025-001',
  senderId: 'user-1',
  approved,
  documentSha256: sha256Hex(documentBytes),
  tokens: tokensFor(overrides.approved?.signers.length ?? 1),
  settings: activeSettings,
  balance: balanceWith(1),
  ...overrides,
});

export const codeHashFor = (procedure: SignatureProcedure, code: string, position = 0): string =>
  hashCode(CODE_KEY, codeSubject(procedure.id, position), code);

/** Several signers' procedure, pending, as sent. */
export const severalSignersProcedure = (
  count: number,
  order: SigningOrder = 'sequential',
  overrides: Partial<NewProcedure> = {},
): SignatureProcedure => pendingProcedure({ approved: approvedFor(count, order), ...overrides });

const must = (result: E.Either<unknown, Transition>): SignatureProcedure => {
  if (E.isLeft(result)) throw new Error(`fixture transition failed: ${JSON.stringify(result.left)}`);
  return result.right.procedure;
};

/** A procedure walked to a given status along the happy path, each step one second after the previous. */
export const pendingProcedure = (overrides: Partial<NewProcedure> = {}): SignatureProcedure =>
  must(createProcedure(newProcedure(overrides), T0));
export const sentProcedure = (): SignatureProcedure => must(markSent(at(T0, seconds(1)))(pendingProcedure()));
export const openedProcedure = (): SignatureProcedure =>
  must(open(undefined, at(T0, seconds(2)))(sentProcedure()));
/** Opened, with code `123456` issued at T0 + 3 s. */
export const codeSentProcedure = (code = '123456'): SignatureProcedure => {
  const opened = openedProcedure();
  return must(requestCode(codeHashFor(opened, code), undefined, at(T0, seconds(3)))(opened));
};
export const verifiedProcedure = (): SignatureProcedure => {
  const withCode = codeSentProcedure('123456');
  return must(verifyCode(codeHashFor(withCode, '123456'), undefined, at(T0, seconds(4)))(withCode));
};
