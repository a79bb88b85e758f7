import {
  applyEntry,
  type CreditBalance,
  type LedgerEntry,
  type Sha256Hex,
  type SignatureProcedure,
  type StorageError,
  storageCreditRefused,
  type TenantId,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { storageFailure } from './storage-failure.js';

/** The tenant every entry of one append belongs to; an append spanning tenants is a programming error. */
export const tenantOfEntries = (
  entries: ReadonlyArray<LedgerEntry>,
): E.Either<StorageError, TenantId | undefined> => {
  const tenantId = entries[0]?.tenantId;
  return entries.every((entry) => entry.tenantId === tenantId)
    ? E.right(tenantId)
    : E.left(storageFailure('ledger entries of one append must belong to one tenant'));
};

/**
 * The balance after the entries. Storage re-checks the ledger invariants as a last line of defence:
 * a writer that skipped `balanceForUpdate` must not drive `available` or `reserved` below zero.
 */
export const balanceAfter = (
  balance: CreditBalance,
  entries: ReadonlyArray<LedgerEntry>,
): E.Either<StorageError, CreditBalance> => {
  const next = entries.reduce(applyEntry, balance);
  if (next.available < 0) return E.left(storageCreditRefused('NO_CREDIT_AVAILABLE'));
  if (next.reserved < 0) return E.left(storageCreditRefused('CREDIT_NOT_HELD'));
  return E.right(next);
};

/** Procedures the expiry sweep and the reminders look at: sent and still waiting for the signer. */
export const AWAITING_SIGNER_STATUSES = ['sent', 'opened', 'verified'] as const;

export const isAwaitingSigner = (status: string): boolean =>
  (AWAITING_SIGNER_STATUSES as ReadonlyArray<string>).includes(status);

/** How long a claim keeps a row away from other claimers when the claimer never comes back (crash). */
export const DEFAULT_CLAIM_LEASE_MS = 5 * 60 * 1000;

/**
 * What a stored procedure is, fixed when it is inserted: no transition changes it, and `update` stores only the rest
 * (status, deadline, version and the body). Comparable values: the SQL stores read them back from their columns.
 */
export interface ProcedureIdentity {
  readonly tenantId: string;
  readonly quoteId: string;
  /** Signer 0's: the one `procedures.token_hash` column holds (see `signerTokensOf` for every signer's). */
  readonly tokenHash: string;
  readonly idempotencyKey: string | null;
  readonly createdAt: number;
}

export const identityOf = (p: SignatureProcedure): ProcedureIdentity => ({
  tenantId: p.tenantId,
  quoteId: p.quoteId,
  tokenHash: p.signers[0]?.tokenHash ?? '',
  idempotencyKey: p.idempotencyKey ?? null,
  createdAt: p.createdAt.getTime(),
});

/** `STORAGE_FAILURE` naming the first identity field `next` would change; undefined when it changes none. */
export const identityChange = (
  stored: ProcedureIdentity,
  next: ProcedureIdentity,
): StorageError | undefined => {
  const field = (Object.keys(stored) as Array<keyof ProcedureIdentity>).find(
    (key) => stored[key] !== next[key],
  );
  return field === undefined ? undefined : storageFailure(`a stored procedure's ${field} cannot change`);
};

/** Every signer's token hash, in the signers' order: each finds the procedure, and none may be another's. */
export const signerTokensOf = (p: SignatureProcedure): ReadonlyArray<Sha256Hex> =>
  p.signers.map((signer) => signer.tokenHash);

/**
 * `STORAGE_FAILURE` when an update would change the signers' links (their number or a token hash): the lookup keys
 * are written once, at insert, like the rest of the identity. Undefined when they stay.
 */
export const signerTokensChange = (
  stored: ReadonlyArray<string>,
  next: ReadonlyArray<string>,
): StorageError | undefined =>
  stored.length === next.length && stored.every((hash) => next.includes(hash))
    ? undefined
    : storageFailure("a stored procedure's signer tokens cannot change");
