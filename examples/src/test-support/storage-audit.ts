import {
  balanceOf,
  type CreditBalance,
  type LedgerEntry,
  type OutboxRecord,
  type SignatureProcedure,
  type Storage,
  type StorageSession,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

export interface StorageState {
  readonly balance: CreditBalance;
  readonly entries: ReadonlyArray<LedgerEntry>;
  readonly outbox: ReadonlyArray<OutboxRecord>;
  readonly procedures: ReadonlyArray<SignatureProcedure>;
  /** The kinds of document stored for each procedure. */
  readonly documents: ReadonlyMap<string, ReadonlyArray<string>>;
}

const documentKinds = (session: StorageSession, id: string) =>
  pipe(
    TE.sequenceArray(
      (['original', 'signed', 'certificate'] as const).map((kind) =>
        pipe(
          session.documents.get(id, kind),
          TE.map(
            O.match(
              () => [],
              () => [kind],
            ),
          ),
        ),
      ),
    ),
    TE.map((found) => found.flat()),
  );

/**
 * Everything stored for a tenant, read through the storage port so that every row is decoded: the
 * procedures of the given quotes (a row that does not decode fails the read), the ledger, the outbox.
 */
export const readStorageState = async (
  storage: Storage,
  tenantId: string,
  quoteIds: ReadonlyArray<string>,
): Promise<StorageState> => {
  const read = await storage.unitOfWork((s) =>
    pipe(
      TE.Do,
      TE.bind('balance', () => s.ledger.balanceForUpdate(tenantId)),
      TE.bind('entries', () => s.ledger.entries(tenantId)),
      TE.bind('outbox', () => s.outbox.list()),
      TE.bind('procedures', () =>
        pipe(
          TE.traverseSeqArray((quoteId: string) => s.procedures.listByQuote(tenantId, quoteId))(quoteIds),
          TE.map((lists) => lists.flat()),
        ),
      ),
      TE.bind('documents', ({ procedures }) =>
        pipe(
          TE.traverseSeqArray((p: SignatureProcedure) =>
            pipe(
              documentKinds(s, p.id),
              TE.map((kinds) => [p.id, kinds] as const),
            ),
          )(procedures),
          TE.map((pairs) => new Map(pairs)),
        ),
      ),
    ),
  )();
  if (E.isLeft(read)) throw new Error(`reading the storage failed: ${JSON.stringify(read.left)}`);
  return read.right;
};

const holdsOf = (entries: ReadonlyArray<LedgerEntry>, kind: LedgerEntry['kind']) =>
  entries.flatMap((e) => (e.kind === kind && e.kind !== 'purchased' ? [e.procedureId] : []));

const duplicates = (ids: ReadonlyArray<string>) => ids.filter((id, i) => ids.indexOf(id) !== i);

/**
 * What must hold after any sequence of commits and crashes: the ledger balances and folds to its entries,
 * every procedure has exactly its reservation (and vice versa), its credit state matches the ledger, its
 * documents are there, and a pending one still has its invitation waiting in the outbox. Returns the
 * problems found, empty when the storage is consistent.
 */
export const storageProblems = (state: StorageState): ReadonlyArray<string> => {
  const problems: string[] = [];
  const { balance, entries } = state;
  const folded = balanceOf(entries);
  if (JSON.stringify(folded) !== JSON.stringify(balance))
    problems.push(`balance ${JSON.stringify(balance)} is not the fold ${JSON.stringify(folded)}`);
  if (balance.purchased !== balance.available + balance.reserved + balance.captured)
    problems.push(`purchased != available + reserved + captured in ${JSON.stringify(balance)}`);
  const reserved = holdsOf(entries, 'reserved');
  const captured = holdsOf(entries, 'captured');
  const released = holdsOf(entries, 'released');
  for (const [name, ids] of [
    ['reserved', reserved],
    ['captured', captured],
    ['released', released],
  ] as const) {
    if (duplicates(ids).length > 0) problems.push(`${name} twice: ${duplicates(ids).join(', ')}`);
  }
  const ended = [...captured, ...released];
  if (duplicates(ended).length > 0) problems.push(`captured and released: ${duplicates(ended).join(', ')}`);
  const procedureIds = new Set(state.procedures.map((p) => p.id));
  for (const id of reserved) if (!procedureIds.has(id)) problems.push(`reservation without procedure: ${id}`);
  for (const id of ended) if (!reserved.includes(id)) problems.push(`hold ended without reservation: ${id}`);
  const outbox = new Map(state.outbox.map((r) => [r.message.id, r]));
  for (const p of state.procedures) {
    if (!reserved.includes(p.id)) problems.push(`procedure without reservation: ${p.id}`);
    const ledgerHold = captured.includes(p.id)
      ? 'captured'
      : released.includes(p.id)
        ? 'released'
        : 'reserved';
    if (p.credit !== ledgerHold) problems.push(`${p.id} holds ${p.credit}, the ledger says ${ledgerHold}`);
    const kinds = state.documents.get(p.id) ?? [];
    const expected = p.status === 'signed' ? ['original', 'signed', 'certificate'] : ['original'];
    if (JSON.stringify(kinds) !== JSON.stringify(expected))
      problems.push(`${p.id} (${p.status}) has documents [${kinds.join(', ')}]`);
    const invitation = outbox.get(`${p.id}.invitation`);
    if (invitation === undefined) problems.push(`${p.id} has no invitation in the outbox`);
    else if (p.status === 'pending' && invitation.status !== 'pending')
      problems.push(`${p.id} is pending but its invitation is ${invitation.status}`);
  }
  for (const record of state.outbox) {
    const m = record.message;
    if (m.kind === 'email' && m.email.kind === 'invitation' && !procedureIds.has(m.email.procedureId))
      problems.push(`invitation ${m.id} for an unknown procedure`);
  }
  return problems;
};
