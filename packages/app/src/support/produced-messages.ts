import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutboxMessage, Storage } from '@paraphe/domain';

/** An outbox message a facade call queued: its id, and by its kind the receiver it goes to. */
export type ProducedMessage = Pick<OutboxMessage, 'id' | 'kind'>;

/** The outbox messages the current facade call queued, in order; undefined outside a recorded call. */
const produced = new AsyncLocalStorage<ProducedMessage[]>();

/**
 * The storage the use cases see: every message a unit of work queues is noted in the current call's record, so that
 * the call can deliver what it produced — and only that — before it answers. A message whose unit of work rolled back
 * is noted too; claiming it by id then finds nothing.
 */
export const recordingProduced = (storage: Storage): Storage => ({
  ...storage,
  unitOfWork: (work) => () => {
    // The record is read as the unit of work starts, in its caller's context: a storage may run `work` from another
    // caller's (SQLite's group commit runs a whole group from the first one's), where the record is someone else's.
    const record = produced.getStore();
    return storage.unitOfWork((session) =>
      work({
        ...session,
        outbox: {
          ...session.outbox,
          enqueue: (messages, now) => {
            record?.push(...messages.map(({ id, kind }) => ({ id, kind })));
            return session.outbox.enqueue(messages, now);
          },
        },
      }),
    )();
  },
});

/** Runs `call` with `record` collecting the messages it queues (appended as they are queued). */
export const recordProduced = <A>(record: ProducedMessage[], call: () => Promise<A>): Promise<A> =>
  produced.run(record, call);
