import type { Storage, StorageError, StorageSession } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { makeAsyncMutex } from '../async-mutex.js';
import { fromThrown } from '../storage-failure.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../storage-rules.js';
import { Draft, emptyState, type MemoryState } from './in-memory-state.js';
import { makeMemoryDocumentStore } from './memory-document-store.js';
import { makeMemoryLedgerStore } from './memory-ledger-store.js';
import { makeMemoryOutboxStore } from './memory-outbox-store.js';
import { makeMemoryProcedureStore } from './memory-procedure-store.js';
import { makeMemoryTenantStore } from './memory-tenant-store.js';

export interface InMemoryStorageOptions {
  /** How long `claimDue` keeps a claimed procedure or message from other claimers (default 5 minutes). */
  readonly claimLeaseMs?: number;
}

const sessionOf = (draft: Draft, claimLeaseMs: number): StorageSession => ({
  tenants: makeMemoryTenantStore(draft),
  ledger: makeMemoryLedgerStore(draft),
  procedures: makeMemoryProcedureStore(draft, claimLeaseMs),
  documents: makeMemoryDocumentStore(draft),
  outbox: makeMemoryOutboxStore(draft, claimLeaseMs),
});

/**
 * Storage in process memory, for tests, demos and one-process development. Units of work run one at a
 * time (a second waits for the first), each changing the state through a draft that keeps its changes only
 * when the work returns Right and undoes them otherwise. Calling `unitOfWork` from inside a unit of work waits
 * forever: don't.
 */
export const makeInMemoryStorage = (options: InMemoryStorageOptions = {}): Storage => {
  const claimLeaseMs = options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  const exclusive = makeAsyncMutex();
  let state: MemoryState = emptyState();

  const unitOfWork =
    <W, A>(work: (session: StorageSession) => TE.TaskEither<W, A>): TE.TaskEither<W | StorageError, A> =>
    () =>
      exclusive(async () => {
        const draft = new Draft(state);
        let result: E.Either<W | StorageError, A>;
        try {
          result = await work(sessionOf(draft, claimLeaseMs))();
        } catch (cause) {
          result = E.left(fromThrown('unit of work threw')(cause));
        }
        state = draft.close(E.isRight(result));
        return result;
      });

  return { unitOfWork };
};
