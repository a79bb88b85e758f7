import type { SignatureProcedure } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  createSchema,
  describeOnPostgres,
  findPostgres,
  type SchemaScope,
} from '../test-support/postgres-test-database.js';
import { at, days, minutes, sentProcedure, T0 } from '../test-support/procedure-fixtures.js';
import { assertRight, run, runRight } from '../test-support/run-work.js';
import { buyCredits, expectExactlySent, tally } from '../test-support/send-race.js';
import { simulateSend } from '../test-support/send-simulation.js';
import { makePostgresStorage, type PostgresStorage } from './postgres-storage.js';

const config = await findPostgres();

/** Several app instances: one storage per pool of one connection, all on one schema. */
const instances = async (scope: SchemaScope, count: number): Promise<ReadonlyArray<PostgresStorage>> => {
  const storages = Array.from({ length: count }, () => makePostgresStorage({ pool: scope.pool(1) }));
  assertRight(await storages[0]!.migrate()());
  return storages;
};

describeOnPostgres('postgres concurrency', config, (config) => {
  let scope: SchemaScope;
  let storages: ReadonlyArray<PostgresStorage> = [];
  beforeEach(async () => {
    scope = await createSchema(config);
  });
  afterEach(async () => {
    await Promise.all(storages.map((s) => s.close()));
    await scope.drop();
  });

  it('64 concurrent sends from 8 connections on 10 credits: exactly 10 go through', async () => {
    storages = await instances(scope, 8);
    await buyCredits(storages[0]!, 'tenant-a', 10);
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        run(storages[i % 8]!, (s) => simulateSend(s, 'tenant-a', `send-${i}`, at(T0, i))),
      ),
    );
    const { sent, refusals } = tally(results);
    expect(sent).toBe(10);
    expect(refusals).toStrictEqual(Array(54).fill('NO_CREDIT_AVAILABLE'));
    await expectExactlySent(storages[0]!, 'tenant-a', 10, 64);
  });

  it('two sweepers claiming the same due set never get the same procedure', async () => {
    storages = await instances(scope, 2);
    const due = Array.from({ length: 40 }, (_, i) => sentProcedure({ id: `due-${i}`, lifetimeDays: 1 }));
    await runRight(storages[0]!, (s) => TE.traverseSeqArray(s.procedures.insert)(due));
    const now = at(T0, days(2));
    // Each claim holds its transaction open a moment, so the other sweeper meets locked rows (SKIP LOCKED).
    const sweep = (storage: PostgresStorage) => async () => {
      const mine: string[] = [];
      for (;;) {
        const claimed = await runRight(storage, (s) =>
          pipe(
            s.procedures.claimDue(now, 3),
            TE.chainFirst(() => TE.fromTask(() => new Promise((r) => setTimeout(r, 5)))),
          ),
        );
        if (claimed.records.length === 0) return mine;
        mine.push(...claimed.records.map((p: SignatureProcedure) => p.id));
      }
    };
    const [a, b] = await Promise.all([sweep(storages[0]!)(), sweep(storages[1]!)()]);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a.filter((id) => b.includes(id))).toStrictEqual([]);
    expect([...a, ...b].sort()).toStrictEqual(due.map((p) => p.id).sort());
  });

  it('two dispatchers claiming the same outbox never get the same message', async () => {
    storages = await instances(scope, 2);
    const { emailMessage } = await import('../test-support/outbox-fixtures.js');
    const messages = Array.from({ length: 40 }, (_, i) => emailMessage(`m-${i}`));
    await runRight(storages[0]!, (s) => s.outbox.enqueue(messages, T0));
    const dispatch = (storage: PostgresStorage) => async () => {
      const mine: string[] = [];
      for (;;) {
        const claimed = await runRight(storage, (s) =>
          pipe(
            s.outbox.claimDue(at(T0, minutes(1)), 3),
            TE.chainFirst(() => TE.fromTask(() => new Promise((r) => setTimeout(r, 5)))),
          ),
        );
        if (claimed.records.length === 0) return mine;
        mine.push(...claimed.records.map((r) => r.message.id));
      }
    };
    const [a, b] = await Promise.all([dispatch(storages[0]!)(), dispatch(storages[1]!)()]);
    expect(a.filter((id) => b.includes(id))).toStrictEqual([]);
    expect([...a, ...b].sort()).toStrictEqual(messages.map((m) => m.id).sort());
  });
});
