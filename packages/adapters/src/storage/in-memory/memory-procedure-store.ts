import {
  type ProcedureStore,
  type SignatureProcedure,
  type StorageError,
  storageConcurrentChange,
  storageRecordMissing,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { storableProcedure } from '../records/procedure-codec.js';
import { storageFailure } from '../storage-failure.js';
import {
  identityChange,
  identityOf,
  isAwaitingSigner,
  signerTokensChange,
  signerTokensOf,
} from '../storage-rules.js';
import { type Draft, idempotencyKeyOf, memoryStep, quoteKeyOf, type TimeKey } from './in-memory-state.js';
import { lowerBound } from './sorted-index.js';

const deadlineKey = (p: SignatureProcedure): TimeKey => ({ at: p.deadline.getTime(), tie: p.id, id: p.id });

/** Removes (`add` false) or adds a procedure's entries in every secondary index. */
const index = (draft: Draft, p: SignatureProcedure, add: boolean): void => {
  const set = <K, V>(map: Map<K, V>, key: K, value: V) => (add ? map.set(key, value) : map.delete(key));
  for (const tokenHash of signerTokensOf(p)) set(draft.own('byTokenHash'), tokenHash, p.id);
  if (p.idempotencyKey !== undefined)
    set(draft.own('byIdempotencyKey'), idempotencyKeyOf(p.tenantId, p.idempotencyKey), p.id);
  const quoteKey = quoteKeyOf(p.tenantId, p.quoteId);
  const ids = (draft.state.byQuote.get(quoteKey) ?? []).filter((id) => id !== p.id);
  draft.own('byQuote').set(quoteKey, add ? [...ids, p.id] : ids);
  if (isAwaitingSigner(p.status)) {
    if (add) draft.insertSorted('byDeadline', deadlineKey(p));
    else draft.removeSorted('byDeadline', deadlineKey(p));
  }
};

const uniquenessConflict = (draft: Draft, p: SignatureProcedure): StorageError | undefined => {
  const { byTokenHash, byIdempotencyKey } = draft.state;
  // Every signer's link must lead to this procedure alone: taken by another procedure, or twice in this one.
  const tokens = signerTokensOf(p);
  const taken = tokens.some((hash, i) => {
    const owner = byTokenHash.get(hash);
    return (owner !== undefined && owner !== p.id) || tokens.indexOf(hash) !== i;
  });
  if (taken) return storageFailure('duplicate signing token hash');
  const keyOwner =
    p.idempotencyKey === undefined
      ? undefined
      : byIdempotencyKey.get(idempotencyKeyOf(p.tenantId, p.idempotencyKey));
  return keyOwner !== undefined && keyOwner !== p.id
    ? storageConcurrentChange('idempotency key already used')
    : undefined;
};

const byId = (draft: Draft, ids: ReadonlyArray<string>): ReadonlyArray<SignatureProcedure> =>
  ids.flatMap((id) => draft.state.procedures.get(id) ?? []);

const lookup = (draft: Draft, id: string | undefined): O.Option<SignatureProcedure> =>
  O.fromNullable(id === undefined ? undefined : draft.state.procedures.get(id));

export const makeMemoryProcedureStore = (draft: Draft, claimLeaseMs: number): ProcedureStore => ({
  get: (id) => memoryStep(() => E.right(lookup(draft, id))),
  findByTokenHash: (tokenHash) =>
    memoryStep(() => E.right(lookup(draft, draft.state.byTokenHash.get(tokenHash)))),
  findByIdempotencyKey: (tenantId, key) =>
    memoryStep(() =>
      E.right(lookup(draft, draft.state.byIdempotencyKey.get(idempotencyKeyOf(tenantId, key)))),
    ),
  listByQuote: (tenantId, quoteId) =>
    memoryStep(() => {
      const sequence = (id: string) => draft.state.procedureSequence.get(id) ?? 0;
      const found = byId(draft, draft.state.byQuote.get(quoteKeyOf(tenantId, quoteId)) ?? []);
      return E.right(
        [...found].sort(
          (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || sequence(a.id) - sequence(b.id),
        ),
      );
    }),
  // A procedure the SQL stores could not read back is refused here too (storable(), record-check.ts).
  insert: (procedure) =>
    memoryStep(() => {
      const storable = storableProcedure(procedure);
      if (E.isLeft(storable)) return storable;
      if (draft.state.procedures.has(procedure.id))
        return E.left(storageConcurrentChange('procedure id already stored'));
      const conflict = uniquenessConflict(draft, procedure);
      if (conflict !== undefined) return E.left(conflict);
      draft.own('procedures').set(procedure.id, procedure);
      draft.own('procedureSequence').set(procedure.id, draft.takeSequence());
      index(draft, procedure, true);
      return E.right(undefined);
    }),
  update: (procedure, expectedVersion) =>
    memoryStep(() => {
      const storable = storableProcedure(procedure);
      if (E.isLeft(storable)) return storable;
      const stored = draft.state.procedures.get(procedure.id);
      if (stored === undefined) return E.left(storageRecordMissing('procedure not stored'));
      if (stored.version !== expectedVersion)
        return E.left(
          storageConcurrentChange('procedure version moved on', {
            expectedVersion,
            storedVersion: stored.version,
          }),
        );
      // The identity and the signers' tokens are fixed, so the unique keys (token hashes, idempotency key) cannot
      // collide anew.
      const changed =
        identityChange(identityOf(stored), identityOf(procedure)) ??
        signerTokensChange(signerTokensOf(stored), signerTokensOf(procedure));
      if (changed !== undefined) return E.left(changed);
      index(draft, stored, false);
      draft.own('procedures').set(procedure.id, procedure);
      index(draft, procedure, true);
      return E.right(undefined);
    }),
  // The deadline index is sorted, so the sweep reads only the due prefix; a claim is a lease that keeps
  // the procedure from other claimers until it lapses (a claimer that crashed gives it back that way). Every write
  // was checked to read back, so nothing here is unreadable.
  claimDue: (now, limit) =>
    memoryStep(() => {
      const claimed: SignatureProcedure[] = [];
      for (const key of draft.state.byDeadline) {
        if (claimed.length >= limit || key.at > now.getTime()) break;
        if ((draft.state.procedureLeases.get(key.id) ?? Number.NEGATIVE_INFINITY) > now.getTime()) continue;
        const procedure = draft.state.procedures.get(key.id);
        if (procedure === undefined) continue;
        draft.own('procedureLeases').set(procedure.id, now.getTime() + claimLeaseMs);
        claimed.push(procedure);
      }
      return E.right({ records: claimed, unreadable: [] });
    }),
  oldestOverdue: (now) =>
    memoryStep(() => {
      const first = draft.state.byDeadline[0];
      return E.right(first === undefined || first.at > now.getTime() ? O.none : O.some(new Date(first.at)));
    }),
  listAwaitingSigner: (now, limit) =>
    memoryStep(() => {
      const { byDeadline } = draft.state;
      const first = lowerBound(byDeadline, now.getTime(), (key, at) => key.at <= at);
      const ids = byDeadline.slice(first, first + Math.max(0, limit)).map((key) => key.id);
      return E.right({ records: byId(draft, ids), unreadable: [] });
    }),
});
