import type { RecordBatch, Storage } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIM_LEASE_MS } from '../storage-rules.js';
import { emailMessage } from './outbox-fixtures.js';
import { at, days, sentProcedure, T0 } from './procedure-fixtures.js';
import { runRight } from './run-work.js';

/** A SQL store with a hand to edit its rows the way an operator, or older code, could have. */
export interface CorruptibleStorage {
  readonly storage: Storage;
  /** Makes a procedure's body unreadable: an object where its event 1 holds a string `ip`. */
  readonly corruptProcedure: (id: string) => Promise<void>;
  /** Makes an outbox message unreadable: a number for the address of an email. */
  readonly corruptMessage: (id: string) => Promise<void>;
  readonly close: () => Promise<void>;
}

const ids = <A>(batch: RecordBatch<A>, id: (a: A) => string) => ({
  records: batch.records.map(id),
  unreadable: batch.unreadable.map((u) => `${u.kind}:${u.id}`),
});

/** Rows that do not decode: a sweep's read sets them apart, named, and reads every other row. */
export const describeUnreadableRows = (name: string, open: () => Promise<CorruptibleStorage>): void => {
  describe(`${name}: rows that do not decode`, () => {
    let subject: CorruptibleStorage;
    beforeEach(async () => {
      subject = await open();
    });
    afterEach(async () => {
      await subject.close();
    });

    it('a claim returns the readable procedures and names the unreadable one, whose lease it keeps', async () => {
      const { storage } = subject;
      const due = ['p-1', 'p-2', 'p-3'].map((id, i) => sentProcedure({ id, lifetimeDays: i + 1 }));
      await runRight(storage, (s) => TE.traverseSeqArray(s.procedures.insert)(due));
      await subject.corruptProcedure('p-2');
      const now = at(T0, days(5));
      const claimed = await runRight(storage, (s) => s.procedures.claimDue(now, 10));
      expect(ids(claimed, (p) => p.id)).toStrictEqual({
        records: ['p-1', 'p-3'],
        unreadable: ['procedure:p-2'],
      });
      expect(claimed.unreadable[0]?.reason).toBe(
        'stored procedure is not readable: invalid fields: events.1.ip',
      );
      // Its values stay out of the report (personal data).
      expect(claimed.unreadable[0]?.reason).not.toContain('198.51.100.23');
      expect(await runRight(storage, (s) => s.procedures.claimDue(now, 10))).toStrictEqual({
        records: [],
        unreadable: [],
      });
      const afterLease = at(now, DEFAULT_CLAIM_LEASE_MS + 1);
      expect(
        ids(await runRight(storage, (s) => s.procedures.claimDue(afterLease, 10)), (p) => p.id),
      ).toStrictEqual({
        records: ['p-1', 'p-3'],
        unreadable: ['procedure:p-2'],
      });
    });

    it('an unreadable procedure counts towards the limit of a claim, so a sweep in batches ends', async () => {
      const { storage } = subject;
      const due = ['p-1', 'p-2', 'p-3'].map((id, i) => sentProcedure({ id, lifetimeDays: i + 1 }));
      await runRight(storage, (s) => TE.traverseSeqArray(s.procedures.insert)(due));
      await subject.corruptProcedure('p-1');
      const now = at(T0, days(5));
      const first = await runRight(storage, (s) => s.procedures.claimDue(now, 2));
      expect(ids(first, (p) => p.id)).toStrictEqual({ records: ['p-2'], unreadable: ['procedure:p-1'] });
      const second = await runRight(storage, (s) => s.procedures.claimDue(now, 2));
      expect(ids(second, (p) => p.id)).toStrictEqual({ records: ['p-3'], unreadable: [] });
    });

    it('the procedures awaiting the signer come back apart from an unreadable one', async () => {
      const { storage } = subject;
      const awaiting = ['p-1', 'p-2', 'p-3'].map((id, i) => sentProcedure({ id, lifetimeDays: 10 + i }));
      await runRight(storage, (s) => TE.traverseSeqArray(s.procedures.insert)(awaiting));
      await subject.corruptProcedure('p-1');
      const listed = await runRight(storage, (s) => s.procedures.listAwaitingSigner(T0, 10));
      expect(ids(listed, (p) => p.id)).toStrictEqual({
        records: ['p-2', 'p-3'],
        unreadable: ['procedure:p-1'],
      });
    });

    it('an outbox claim returns the readable messages and names the unreadable one, whose lease it keeps', async () => {
      const { storage } = subject;
      await runRight(storage, (s) =>
        s.outbox.enqueue(
          ['m-1', 'm-2', 'm-3'].map((id) => emailMessage(id)),
          T0,
        ),
      );
      await subject.corruptMessage('m-2');
      const claimed = await runRight(storage, (s) => s.outbox.claimDue(T0, 10));
      expect(ids(claimed, (r) => r.message.id)).toStrictEqual({
        records: ['m-1', 'm-3'],
        unreadable: ['outbox-message:m-2'],
      });
      expect(claimed.unreadable[0]?.reason).toBe(
        'stored outbox record is not readable: invalid fields: message.0.email.to',
      );
      expect(await runRight(storage, (s) => s.outbox.claimDue(T0, 10))).toStrictEqual({
        records: [],
        unreadable: [],
      });
      const afterLease = at(T0, DEFAULT_CLAIM_LEASE_MS);
      expect(
        ids(await runRight(storage, (s) => s.outbox.claimDue(afterLease, 10)), (r) => r.message.id),
      ).toStrictEqual({ records: ['m-1', 'm-3'], unreadable: ['outbox-message:m-2'] });
    });
  });
};
