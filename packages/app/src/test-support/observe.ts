import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type {
  CreditBalance,
  DomainError,
  LedgerEntry,
  OutboxRecord,
  SignatureProcedure,
  TenantSettings,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { expect } from 'vitest';
import type { Harness } from './harness.js';

/** What a test looks at: tenants and the quotes whose procedures it follows. */
export interface Scope {
  readonly tenants: ReadonlyArray<string>;
  readonly quotes: ReadonlyArray<readonly [tenantId: string, quoteId: string]>;
}

/** Everything a use case could change that someone outside can observe. */
export interface Observed {
  readonly tenants: Readonly<
    Record<
      string,
      {
        readonly settings: O.Option<TenantSettings>;
        readonly balance: CreditBalance;
        readonly ledger: ReadonlyArray<LedgerEntry>;
      }
    >
  >;
  readonly procedures: ReadonlyArray<SignatureProcedure>;
  /** Documents by digest: comparing digests is as strict as comparing bytes, and much faster. */
  readonly documents: ReadonlyArray<readonly [string, string, O.Option<string>]>;
  readonly outbox: ReadonlyArray<OutboxRecord>;
  readonly mailSent: unknown;
  readonly smsSent: unknown;
  readonly followUpActions: unknown;
  readonly notifications: unknown;
}

const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const DOCUMENT_KINDS = ['original', 'signed', 'certificate'] as const;

/** Reads the whole observable state in one unit of work, plus what the in-memory adapters recorded (deep copies). */
export const observe = async (h: Harness, scope: Scope): Promise<Observed> => {
  const stored = await h.storage.unitOfWork((session) =>
    pipe(
      TE.Do,
      TE.bind('tenants', () =>
        pipe(
          scope.tenants,
          TE.traverseSeqArray((tenantId) =>
            pipe(
              TE.Do,
              TE.bind('settings', () => session.tenants.getSettings(tenantId)),
              TE.bind('balance', () => session.ledger.balanceForUpdate(tenantId)),
              TE.bind('ledger', () => session.ledger.entries(tenantId)),
              TE.map((view) => [tenantId, view] as const),
            ),
          ),
        ),
      ),
      TE.bind('procedures', () =>
        pipe(
          scope.quotes,
          TE.traverseSeqArray(([tenantId, quoteId]) => session.procedures.listByQuote(tenantId, quoteId)),
          TE.map((lists) => lists.flat()),
        ),
      ),
      TE.bind('documents', ({ procedures }) =>
        pipe(
          procedures.flatMap((p) => DOCUMENT_KINDS.map((kind) => [p.id, kind] as const)),
          TE.traverseSeqArray(([id, kind]) =>
            pipe(
              session.documents.get(id, kind),
              TE.map((bytes) => [id, kind, O.map(digest)(bytes)] as const),
            ),
          ),
        ),
      ),
      TE.bind('outbox', () => session.outbox.list()),
    ),
  )();
  if (E.isLeft(stored)) throw new Error(`Could not observe storage: ${stored.left.code}`);
  return structuredClone({
    tenants: Object.fromEntries(stored.right.tenants),
    procedures: stored.right.procedures,
    documents: stored.right.documents,
    outbox: stored.right.outbox,
    mailSent: h.mailer.sent,
    smsSent: h.sms.sent,
    followUpActions: h.crm.followUpActions,
    notifications: h.crm.notifications,
  });
};

/**
 * Runs a call that must be refused: it answers with a typed error of `code`, and storage, ledger, outbox and every
 * adapter's record are exactly as before. Returns the error for further checks.
 */
export const expectRefusedUnchanged = async (
  h: Harness,
  scope: Scope,
  code: string,
  call: TE.TaskEither<DomainError, unknown>,
): Promise<DomainError> => {
  const before = await observe(h, scope);
  const result = await call();
  const after = await observe(h, scope);
  if (E.isRight(result)) throw new Error(`Expected ${code}, got Right: ${JSON.stringify(result.right)}`);
  expect(result.left).toMatchObject({ _tag: 'DomainError', code });
  expectSame(after, before);
  return result.left;
};

/** Deep equality checked by Node (fast); vitest's comparison runs only to explain a difference. */
export const expectSame = (after: Observed, before: Observed): void => {
  if (!isDeepStrictEqual(after, before)) expect(after).toEqual(before);
};
