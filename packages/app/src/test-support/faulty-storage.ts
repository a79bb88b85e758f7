import type { Storage, StorageError, StorageSession } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** Decides for each store call whether it fails, and with what error (`undefined`: it goes through). */
export type Fault = (store: keyof StorageSession, method: string) => StorageError | undefined;

export interface FaultyStorage extends Storage {
  /** The fault in force from now on; `undefined` heals the storage. */
  readonly setFault: (fault: Fault | undefined) => void;
}

/**
 * A real storage whose store calls fail while a fault says so: a database that drops out at a chosen moment. The
 * failing call returns its Left as the store would, and the unit of work rolls back as it does for any Left.
 */
export const makeFaultyStorage = (inner: Storage): FaultyStorage => {
  let fault: Fault | undefined;
  const faulty = <S extends object>(store: keyof StorageSession, methods: S): S =>
    Object.fromEntries(
      Object.entries(methods).map(([method, call]) => [
        method,
        (...args: never[]) => {
          const error = fault?.(store, method);
          return error === undefined ? (call as (...a: never[]) => unknown)(...args) : TE.left(error);
        },
      ]),
    ) as S;
  const session = (s: StorageSession): StorageSession => ({
    tenants: faulty('tenants', s.tenants),
    ledger: faulty('ledger', s.ledger),
    procedures: faulty('procedures', s.procedures),
    documents: faulty('documents', s.documents),
    outbox: faulty('outbox', s.outbox),
  });
  return {
    ...inner,
    unitOfWork: (work) => inner.unitOfWork((s) => work(session(s))),
    setFault: (next) => {
      fault = next;
    },
  };
};
