import {
  type ApprovedSigner,
  type CreditBalance,
  codeSubject,
  createProcedure,
  defaultTenantSettings,
  type EmailAddress,
  hashCode,
  hashSigningToken,
  type MobileNumber,
  markSent,
  type NewProcedure,
  open,
  requestCode,
  type Sha256Hex,
  type SignatureProcedure,
  type Signer,
  type SigningOrder,
  sha256Hex,
  sign,
  type TenantSettings,
  type Transition,
  verifyCode,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';

export const T0 = new Date('2025-03-03T09:00:00.000Z');
export const minutes = (n: number): number => n * 60_000;
export const days = (n: number): number => n * 86_400_000;
export const at = (base: Date, offsetMs: number): Date => new Date(base.getTime() + offsetMs);

const CODE_KEY = 'test-sms-code-key';

export const activeSettings = (
  tenantName = 'Acme',
  overrides: Partial<TenantSettings> = {},
): TenantSettings => ({
  ...defaultTenantSettings(tenantName),
  esignatureActive: true,
  ...overrides,
});

export const oneCredit: CreditBalance = { purchased: 1, available: 1, reserved: 0, captured: 0 };

export interface ProcedureSpec {
  readonly id: string;
  /** How many signers (1 unless said): the quote's contact first, then other contacts, a countersigner last. */
  readonly signers?: number;
  readonly signingOrder?: SigningOrder;
  readonly tenantId?: string;
  readonly quoteId?: string;
  readonly now?: Date;
  readonly lifetimeDays?: number;
  readonly idempotencyKey?: string;
  readonly balance?: CreditBalance;
}

const ADA: Signer = {
  name: 'Ada Lovelace',
  email: 'ada@example.com' as EmailAddress,
  mobile: '+33612345678' as MobileNumber,
};

/** Signer 0 is Ada (the one signer of one-signer fixtures); the last of several countersigns. */
const approvedSigner = (position: number, count: number): ApprovedSigner => {
  if (position === 0) return { role: 'contact', reference: 'contact-1', identity: ADA };
  const n = position + 1;
  const identity: Signer = {
    name: `Signer ${n}`,
    email: `signer${n}@example.com` as EmailAddress,
    mobile: `+336123456${String(70 + n)}` as MobileNumber,
  };
  return position === count - 1
    ? { role: 'countersigner', reference: 'user-2', identity }
    : { role: 'contact', reference: `contact-${n}`, identity };
};

/** What the send use case would hand to `createProcedure`. */
export const newProcedureInput = (spec: ProcedureSpec): NewProcedure => {
  const count = spec.signers ?? 1;
  const bytes = new TextEncoder().encode(`%PDF-1.7 quote ${spec.id}`);
  return {
    id: spec.id,
    tenantId: spec.tenantId ?? 'tenant-a',
    quoteId: spec.quoteId ?? `quote-of-${spec.id}`,
    quoteNumber: `Q-${spec.id}`,
    senderId: 'user-1',
    approved: {
      signers: Array.from({ length: count }, (_, position) => approvedSigner(position, count)),
      signingOrder: spec.signingOrder ?? 'sequential',
      document: { fileName: `quote-${spec.id}.pdf`, bytes },
    },
    documentSha256: sha256Hex(bytes),
    // Procedures sent before the page count was kept have none: the one-signer ones stand for them.
    ...(count > 1 ? { documentPageCount: 2 } : {}),
    tokens: Array.from({ length: count }, (_, position) => ({
      tokenHash: tokenHashOf(spec.id, position),
      sealedToken:
        position === 0 ? `sealed-token-of-${spec.id}` : `sealed-token-of-${spec.id}/${position + 1}`,
    })),
    ...(count > 1 && (spec.signingOrder ?? 'sequential') === 'sequential'
      ? { invitation: { subject: `Quote Q-${spec.id}`, body: 'Please sign.' } }
      : {}),
    settings: activeSettings('Acme', { procedureLifetimeDays: spec.lifetimeDays ?? 15 }),
    balance: spec.balance ?? oneCredit,
    ...(spec.idempotencyKey === undefined ? {} : { idempotencyKey: spec.idempotencyKey }),
  };
};

/** A pending procedure made by the domain itself, with its reservation entry. */
export const pendingProcedure = (spec: ProcedureSpec): Transition =>
  orThrow(createProcedure(newProcedureInput(spec), spec.now ?? T0));

/** The token hash of a fixture's signer: signer 0's is the one the one-signer fixtures always had. */
export const tokenHashOf = (procedureId: string, position = 0): Sha256Hex =>
  hashSigningToken(
    position === 0 ? `token-of-${procedureId}` : `token-of-${procedureId}/signer-${position + 1}`,
  );

type Step = (p: SignatureProcedure) => E.Either<unknown, Transition>;

/** Applies transitions in order; a refused one is a broken fixture, so it throws. */
export const advance = (procedure: SignatureProcedure, ...steps: ReadonlyArray<Step>): SignatureProcedure =>
  steps.reduce((p, next) => orThrow(next(p)).procedure, procedure);

export const sentProcedure = (spec: ProcedureSpec): SignatureProcedure => {
  const now = spec.now ?? T0;
  return advance(pendingProcedure(spec).procedure, markSent(at(now, 1000), 0));
};

/** Every signer of a parallel procedure (or the first of a sequential one) has been invited. */
export const allInvited = (spec: ProcedureSpec): SignatureProcedure => {
  const now = spec.now ?? T0;
  const p = pendingProcedure(spec).procedure;
  const invited = p.signers.filter((signer) => signer.status === 'pending').map((signer) => signer.position);
  return advance(p, ...invited.map((position) => markSent(at(now, 1000 + position), position)));
};

/** Sent, opened (with and without request context), a wrong code, then the right one: events of every shape. */
export const verifiedProcedure = (spec: ProcedureSpec): SignatureProcedure => {
  const now = spec.now ?? T0;
  return advance(sentProcedure(spec), ...verifySteps(spec.id, now, 0));
};

const verifySteps = (id: string, now: Date, position: number): ReadonlyArray<Step> => {
  const subject = codeSubject(id, position);
  const codeHash = hashCode(CODE_KEY, subject, '123456');
  return [
    open({ ip: '203.0.113.7', userAgent: 'Firefox' }, at(now, minutes(1)), position),
    open(undefined, at(now, minutes(2)), position),
    requestCode(codeHash, { ip: '203.0.113.7' }, at(now, minutes(3)), position),
    verifyCode(hashCode(CODE_KEY, subject, '000000'), undefined, at(now, minutes(4)), position),
    verifyCode(codeHash, { userAgent: 'Firefox' }, at(now, minutes(5)), position),
  ];
};

const signStep = (now: Date, position: number): Step =>
  sign(
    {
      consent: true,
      consentText: 'I accept',
      signedSha256: sha256Hex(position === 0 ? 'signed' : `signed by ${position + 1}`),
      context: { ip: '203.0.113.7' },
    },
    at(now, minutes(6)),
    position,
  );

/**
 * A sequential procedure of `spec.signers` signers whose first `signed` signers have signed (each invited, opened,
 * verified, then signing), the next one invited: all of them signed makes it `signed`.
 */
export const signedBy = (spec: ProcedureSpec, signed: number): SignatureProcedure => {
  const start = spec.now ?? T0;
  let p = sentProcedure({ ...spec, signingOrder: 'sequential' });
  for (let position = 0; position < signed; position++) {
    const now = at(start, days(position));
    p = advance(p, ...verifySteps(spec.id, now, position), signStep(now, position));
    if (position + 1 < p.signers.length) p = advance(p, markSent(at(now, minutes(7)), position + 1));
  }
  return p;
};

export const signedProcedure = (spec: ProcedureSpec): SignatureProcedure => signedBy(spec, spec.signers ?? 1);

const orThrow = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`Fixture transition refused: ${JSON.stringify(result.left)}`);
  return result.right;
};

/**
 * The procedure with one signer's fields changed as no transition would (a test of what storage refuses or keeps):
 * the cast is the point.
 */
export const withSigner = (
  procedure: SignatureProcedure,
  position: number,
  change: Readonly<Record<string, unknown>>,
): SignatureProcedure =>
  ({
    ...procedure,
    signers: procedure.signers.map((signer) =>
      signer.position === position ? { ...signer, ...change } : signer,
    ),
  }) as SignatureProcedure;
