import type {
  CreditBalance,
  LedgerEntry,
  OutboxRecord,
  ProcedureId,
  Sha256Hex,
  SignatureProcedure,
  StorageError,
  TenantId,
  TenantSettings,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { fromThrown } from '../storage-failure.js';
import { insertSorted, removeSorted, type SortedIndex } from './sorted-index.js';

/** An entry of a time-ordered index: sorted by time in ms, then by a tie-breaker; `id` names the row. */
export interface TimeKey {
  readonly at: number;
  readonly tie: string;
  readonly id: string;
}

export const compareTimeKeys = (a: TimeKey, b: TimeKey): number =>
  a.at - b.at || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0);

export interface StoredOutboxRecord {
  readonly record: OutboxRecord;
  /** Enqueue order, the tie-breaker between records created at the same instant. */
  readonly sequence: number;
}

/**
 * A table changed in place by the one unit of work running, which notes how to undo each change: rolling back
 * replays the notes backwards. Copying a table per unit of work instead made every write cost the table's size.
 */
export class JournaledMap<K, V> extends Map<K, V> {
  journal: Array<() => void> | undefined;

  override set(key: K, value: V): this {
    const journal = this.journal;
    if (journal !== undefined) {
      if (super.has(key)) {
        const previous = super.get(key) as V;
        journal.push(() => super.set(key, previous));
      } else {
        journal.push(() => super.delete(key));
      }
    }
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    const journal = this.journal;
    if (journal !== undefined && super.has(key)) {
      const previous = super.get(key) as V;
      journal.push(() => super.set(key, previous));
    }
    return super.delete(key);
  }

  override clear(): void {
    throw new Error('a journaled table is never cleared');
  }
}

/**
 * Everything the in-memory store holds. Its tables are changed in place by the running unit of work, each change
 * journaled so that a rollback can undo it (see `Draft`); stored values (procedures, entries, records) are
 * immutable.
 */
export interface MemoryState {
  readonly settings: ReadonlyMap<TenantId, TenantSettings>;
  readonly balances: ReadonlyMap<TenantId, CreditBalance>;
  readonly ledger: ReadonlyMap<TenantId, ReadonlyArray<LedgerEntry>>;
  readonly procedures: ReadonlyMap<ProcedureId, SignatureProcedure>;
  /** Insertion order of procedures, the tie-breaker of `listByQuote`. */
  readonly procedureSequence: ReadonlyMap<ProcedureId, number>;
  readonly byTokenHash: ReadonlyMap<Sha256Hex, ProcedureId>;
  /** Key: `idempotencyKeyOf(tenantId, key)`. */
  readonly byIdempotencyKey: ReadonlyMap<string, ProcedureId>;
  /** Key: `quoteKeyOf(tenantId, quoteId)`; ids in insertion order. */
  readonly byQuote: ReadonlyMap<string, ReadonlyArray<ProcedureId>>;
  /** Procedures awaiting the signer, by deadline: the expiry sweep reads only the due prefix. */
  readonly byDeadline: SortedIndex<TimeKey>;
  /** Claims of due procedures: id → ms until which other claimers skip it. */
  readonly procedureLeases: ReadonlyMap<ProcedureId, number>;
  /** Key: `documentKeyOf(procedureId, kind)`. */
  readonly documents: ReadonlyMap<string, Uint8Array>;
  readonly outbox: ReadonlyMap<string, StoredOutboxRecord>;
  /** Pending outbox records by next attempt; the tie is the zero-padded enqueue sequence. */
  readonly pendingOutbox: SortedIndex<TimeKey>;
  readonly nextSequence: number;
}

/** A fresh, empty state (not a shared constant: its tables are changed in place). */
export const emptyState = (): MemoryState => ({
  settings: new JournaledMap(),
  balances: new JournaledMap(),
  ledger: new JournaledMap(),
  procedures: new JournaledMap(),
  procedureSequence: new JournaledMap(),
  byTokenHash: new JournaledMap(),
  byIdempotencyKey: new JournaledMap(),
  byQuote: new JournaledMap(),
  byDeadline: [],
  procedureLeases: new JournaledMap(),
  documents: new JournaledMap(),
  outbox: new JournaledMap(),
  pendingOutbox: [],
  nextSequence: 0,
});

// JSON arrays as composite keys: no separator can collide with the text of an id.
export const quoteKeyOf = (tenantId: TenantId, quoteId: string): string =>
  JSON.stringify([tenantId, quoteId]);
export const idempotencyKeyOf = (tenantId: TenantId, key: string): string => JSON.stringify([tenantId, key]);
export const documentKeyOf = (procedureId: ProcedureId, kind: string): string =>
  JSON.stringify([procedureId, kind]);
export const sequenceTie = (sequence: number): string => String(sequence).padStart(16, '0');

type Mutable<V> = V extends ReadonlyMap<infer K, infer W> ? Map<K, W> : never;
type SortedTable = 'byDeadline' | 'pendingOutbox';
type Table = Exclude<
  { [K in keyof MemoryState]: MemoryState[K] extends number ? never : K }[keyof MemoryState],
  SortedTable
>;

/**
 * What one unit of work changes, and how to undo it: every table is changed in place and each change journaled. `close(true)` keeps the changes and hands back the next state;
 * `close(false)` replays the journal backwards and hands back the state it started from.
 */
export class Draft {
  readonly #base: MemoryState;
  #state: MemoryState;
  readonly #owned = new Set<Table>();
  readonly #journal: Array<() => void> = [];
  #open = true;

  constructor(base: MemoryState) {
    this.#base = base;
    this.#state = base;
  }

  get state(): MemoryState {
    this.#assertOpen();
    return this.#state;
  }

  /** The map to write: its changes are journaled from now on. */
  own<K extends Table>(table: K): Mutable<MemoryState[K]> {
    this.#assertOpen();
    const map = this.#state[table] as unknown as JournaledMap<unknown, unknown>;
    if (!this.#owned.has(table)) {
      map.journal = this.#journal;
      this.#owned.add(table);
    }
    return map as unknown as Mutable<MemoryState[K]>;
  }

  /** Adds a key to a sorted index, in place, journaled. */
  insertSorted(table: SortedTable, key: TimeKey): void {
    this.#assertOpen();
    this.#journal.push(insertSorted(this.#state[table] as TimeKey[], key, compareTimeKeys));
  }

  /** Takes a key out of a sorted index, in place, journaled. */
  removeSorted(table: SortedTable, key: TimeKey): void {
    this.#assertOpen();
    this.#journal.push(removeSorted(this.#state[table] as TimeKey[], key, compareTimeKeys));
  }

  /** Appends to an array held in a table (a tenant's ledger), in place; undone by cutting it back. */
  appendTo<T>(held: ReadonlyArray<T>, items: ReadonlyArray<T>): void {
    this.#assertOpen();
    const array = held as T[];
    const length = array.length;
    this.#journal.push(() => {
      array.length = length;
    });
    array.push(...items);
  }

  takeSequence(): number {
    this.#assertOpen();
    const sequence = this.#state.nextSequence;
    this.#state = { ...this.#state, nextSequence: sequence + 1 };
    return sequence;
  }

  /** Ends the draft (a session that leaked out of its unit of work can no longer read or write). */
  close(keep: boolean): MemoryState {
    this.#open = false;
    for (const table of this.#owned)
      (this.#state[table] as unknown as JournaledMap<unknown, unknown>).journal = undefined;
    if (keep) return this.#state;
    for (let i = this.#journal.length - 1; i >= 0; i--) this.#journal[i]!();
    return this.#base;
  }

  #assertOpen(): void {
    if (!this.#open) throw new Error('This storage session was used after its unit of work ended');
  }
}

/** Runs a synchronous step of a session when the task runs; a throw becomes `STORAGE_FAILURE`. */
export const memoryStep =
  <A>(f: () => E.Either<StorageError, A>): TE.TaskEither<StorageError, A> =>
  async () => {
    try {
      return f();
    } catch (cause) {
      return E.left(fromThrown('in-memory storage step failed')(cause));
    }
  };
