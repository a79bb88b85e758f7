import {
  type CreditBalance,
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
  type SignatureProcedure,
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
  readonly tenantId?: string;
  readonly quoteId?: string;
  readonly now?: Date;
  readonly lifetimeDays?: number;
  readonly idempotencyKey?: string;
  readonly balance?: CreditBalance;
}

/** What the send use case would hand to `createProcedure`. */
export const newProcedureInput = (spec: ProcedureSpec): NewProcedure => {
  const bytes = new TextEncoder().encode(`%PDF-1.7 quote ${spec.id}`);
  return {
    id: spec.id,
    tenantId: spec.tenantId ?? 'tenant-a',
    quoteId: spec.quoteId ?? `quote-of-${spec.id}`,
    quoteNumber: `Q-${spec.id}`,
    senderId: 'user-1',
    approved: {
      signer: {
        name: 'Ada Lovelace',
        email: 'ada@example.com' as EmailAddress,
        mobile: '+33612345678' as MobileNumber,
      },
      document: { fileName: `quote-${spec.id}.pdf`, bytes },
    },
    documentSha256: sha256Hex(bytes),
    tokenHash: tokenHashOf(spec.id),
    sealedToken: `sealed-token-of-${spec.id}`,
    settings: activeSettings('Acme', { procedureLifetimeDays: spec.lifetimeDays ?? 15 }),
    balance: spec.balance ?? oneCredit,
    ...(spec.idempotencyKey === undefined ? {} : { idempotencyKey: spec.idempotencyKey }),
  };
};

/** A pending procedure made by the domain itself, with its reservation entry. */
export const pendingProcedure = (spec: ProcedureSpec): Transition =>
  orThrow(createProcedure(newProcedureInput(spec), spec.now ?? T0));

export const tokenHashOf = (procedureId: string) => hashSigningToken(`token-of-${procedureId}`);

type Step = (p: SignatureProcedure) => E.Either<unknown, Transition>;

/** Applies transitions in order; a refused one is a broken fixture, so it throws. */
export const advance = (procedure: SignatureProcedure, ...steps: ReadonlyArray<Step>): SignatureProcedure =>
  steps.reduce((p, next) => orThrow(next(p)).procedure, procedure);

export const sentProcedure = (spec: ProcedureSpec): SignatureProcedure => {
  const now = spec.now ?? T0;
  return advance(pendingProcedure(spec).procedure, markSent(at(now, 1000)));
};

/** Sent, opened (with and without request context), a wrong code, then the right one: events of every shape. */
export const verifiedProcedure = (spec: ProcedureSpec): SignatureProcedure => {
  const now = spec.now ?? T0;
  const codeHash = hashCode(CODE_KEY, spec.id, '123456');
  return advance(
    sentProcedure(spec),
    open({ ip: '203.0.113.7', userAgent: 'Firefox' }, at(now, minutes(1))),
    open(undefined, at(now, minutes(2))),
    requestCode(codeHash, { ip: '203.0.113.7' }, at(now, minutes(3))),
    verifyCode(hashCode(CODE_KEY, spec.id, '000000'), undefined, at(now, minutes(4))),
    verifyCode(codeHash, { userAgent: 'Firefox' }, at(now, minutes(5))),
  );
};

export const signedProcedure = (spec: ProcedureSpec): SignatureProcedure => {
  const now = spec.now ?? T0;
  return advance(
    verifiedProcedure(spec),
    sign(
      {
        consent: true,
        consentText: 'I accept',
        signedSha256: sha256Hex('signed'),
        context: { ip: '203.0.113.7' },
      },
      at(now, minutes(6)),
    ),
  );
};

const orThrow = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`Fixture transition refused: ${JSON.stringify(result.left)}`);
  return result.right;
};
