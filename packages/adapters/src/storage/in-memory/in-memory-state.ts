import type {
  CreditBalance,
  DomainError,
  LedgerEntry,
  OutboxRecord,
  ProcedureId,
  Sha256Hex,
  SignatureProcedure,
  TenantId,
  TenantSettings,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { fromThrown } from '../storage-failure.js';
import type { SortedIndex } from './sorted-index.js';

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

/** Everything the in-memory store holds. Every table is an immutable value, replaced (never mutated) on write. */
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

export const emptyState: MemoryState = {
  settings: new Map(),
  balances: new Map(),
  ledger: new Map(),
  procedures: new Map(),
  procedureSequence: new Map(),
  byTokenHash: new Map(),
  byIdempotencyKey: new Map(),
  byQuote: new Map(),
  byDeadline: [],
  procedureLeases: new Map(),
  documents: new Map(),
  outbox: new Map(),
  pendingOutbox: [],
  nextSequence: 0,
};

// JSON arrays as composite keys: no separator can collide with the text of an id.
export const quoteKeyOf = (tenantId: TenantId, quoteId: string): string =>
  JSON.stringify([tenantId, quoteId]);
export const idempotencyKeyOf = (tenantId: TenantId, key: string): string => JSON.stringify([tenantId, key]);
export const documentKeyOf = (procedureId: ProcedureId, kind: string): string =>
  JSON.stringify([procedureId, kind]);
export const sequenceTie = (sequence: number): string => String(sequence).padStart(16, '0');

type Mutable<V> =
  V extends ReadonlyMap<infer K, infer W> ? Map<K, W> : V extends ReadonlyArray<infer T> ? T[] : never;
type Table = { [K in keyof MemoryState]: MemoryState[K] extends number ? never : K }[keyof MemoryState];

/**
 * The working copy of one unit of work (copy-on-write): the first write to a table copies it, later writes
 * of the same unit of work change that copy in place. The committed state is never touched, so dropping
 * the draft is the rollback and `close()` hands back the next state.
 */
export class Draft {
  #state: MemoryState;
  readonly #owned = new Set<Table>();
  #open = true;

  constructor(base: MemoryState) {
    this.#state = base;
  }

  get state(): MemoryState {
    this.#assertOpen();
    return this.#state;
  }

  /** The table, copied on its first write in this unit of work. */
  own<K extends Table>(table: K): Mutable<MemoryState[K]> {
    this.#assertOpen();
    if (!this.#owned.has(table)) {
      const current = this.#state[table];
      const copy = Array.isArray(current) ? [...current] : new Map(current as ReadonlyMap<unknown, unknown>);
      this.#state = { ...this.#state, [table]: copy };
      this.#owned.add(table);
    }
    return this.#state[table] as Mutable<MemoryState[K]>;
  }

  takeSequence(): number {
    this.#assertOpen();
    const sequence = this.#state.nextSequence;
    this.#state = { ...this.#state, nextSequence: sequence + 1 };
    return sequence;
  }

  /** Ends the draft; a session that leaked out of its unit of work can no longer read or write. */
  close(): MemoryState {
    this.#open = false;
    return this.#state;
  }

  #assertOpen(): void {
    if (!this.#open) throw new Error('This storage session was used after its unit of work ended');
  }
}

/** Runs a synchronous step of a session when the task runs; a throw becomes `STORAGE_FAILURE`. */
export const memoryStep =
  <A>(f: () => E.Either<DomainError, A>): TE.TaskEither<DomainError, A> =>
  async () => {
    try {
      return f();
    } catch (cause) {
      return E.left(fromThrown('in-memory storage step failed')(cause));
    }
  };
