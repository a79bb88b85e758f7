// A process whose PostgreSQL sessions are ended under it, as a restart or an operator would:
// `node --import tsx --conditions=@paraphe/source postgres-connection-loss.ts <scenario> <settings as JSON>`.
// Prints one JSON line per step, then `done`. An 'error' event nobody listens to would end it first, with code 1.
import type { StorageError, StorageSession } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import pg from 'pg';
import { makePostgresStorage, type PostgresStorage } from '../postgres/postgres-storage.js';
import { connectionStringFor, terminateBackends } from './postgres-test-database.js';
import { failureName } from './run-work.js';

const [scenario, settings] = process.argv.slice(2);
if (scenario === undefined || settings === undefined)
  throw new Error('usage: postgres-connection-loss.ts <scenario> <{"config":…,"schema":…}>');
const { config, schema } = JSON.parse(settings) as { config: pg.ClientConfig; schema: string };
const applicationName = `paraphe_loss_${process.pid}`;
const connectionString = connectionStringFor(config, schema, applicationName);
const BYTES = new Uint8Array([37, 80, 68, 70]);

const report = (step: string, result: E.Either<StorageError, unknown>, more: object = {}) => {
  const outcome = E.isRight(result) ? 'ok' : failureName(result.left);
  const retryable = E.isLeft(result) ? result.left.retryable : null;
  process.stdout.write(`${JSON.stringify({ step, outcome, retryable, ...more })}\n`);
};

const put =
  (id: string) =>
  (s: StorageSession): TE.TaskEither<StorageError, void> =>
    s.documents.put(id, 'original', BYTES);
const isStored = async (storage: PostgresStorage, id: string): Promise<boolean> => {
  const found = await storage.unitOfWork((s) => s.documents.get(id, 'original'))();
  return E.isRight(found) && O.isSome(found.right);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A unit of work whose session is ended between its statements on the first attempt; counts its attempts. */
const endedMidway = (id: string) => {
  const counted = { attempts: 0, ended: 0 };
  const work = (s: StorageSession) => async () => {
    counted.attempts += 1;
    const written = await put(id)(s)();
    if (E.isLeft(written)) return written;
    if (counted.attempts === 1) counted.ended = await terminateBackends(config, applicationName);
    return s.documents.get(id, 'original')();
  };
  return { counted, work };
};

/** Idle pooled sessions ended: the pool drops them quietly, the next unit of work connects again. */
const idle = async (storage: PostgresStorage) => {
  report('before', await storage.unitOfWork(put('p-idle'))());
  const ended = await terminateBackends(config, applicationName);
  await sleep(100);
  report('after', await storage.unitOfWork((s) => s.documents.get('p-idle', 'original'))(), { ended });
};

const scenarios: Record<string, () => Promise<void>> = {
  'idle-own-pool': async () => {
    const storage = makePostgresStorage({ connectionString });
    await idle(storage);
    await storage.close();
  },
  'idle-borrowed-pool': async () => {
    const pool = new pg.Pool({ connectionString });
    const storage = makePostgresStorage({ pool });
    await idle(storage);
    await storage.close();
    await pool.end();
  },
  'mid-unit-of-work': async () => {
    const rerun = makePostgresStorage({ connectionString });
    const first = endedMidway('p-rerun');
    report('re-run', await rerun.unitOfWork(first.work)(), first.counted);
    await rerun.close();
    const once = makePostgresStorage({ connectionString, maxAttempts: 1 });
    const second = endedMidway('p-once');
    report('no re-run', await once.unitOfWork(second.work)(), {
      ...second.counted,
      stored: await isStored(once, 'p-once'),
    });
    report('next', await once.unitOfWork(put('p-next'))());
    await once.close();
  },
  'during-commit': async () => {
    // A deferred constraint trigger sleeping at COMMIT: the session can be ended while COMMIT is in flight.
    const admin = new pg.Client({ ...config, options: `-c search_path=${schema}` });
    await admin.connect();
    const storage = makePostgresStorage({ connectionString });
    report('migrate', await storage.migrate()());
    await admin.query(`create function slow_commit() returns trigger language plpgsql as
      $$ begin perform pg_sleep(5); return null; end $$`);
    await admin.query(`create constraint trigger slow_commit after insert on documents
      deferrable initially deferred for each row execute function slow_commit()`);
    let attempts = 0;
    const committing = storage.unitOfWork((s) => {
      attempts += 1;
      return put('p-commit')(s);
    })();
    let ended = 0;
    while (ended === 0) {
      const { rows } = await admin.query(
        `select 1 from pg_stat_activity
          where application_name = $1 and query ilike 'commit%' and wait_event = 'PgSleep'`,
        [applicationName],
      );
      ended = rows.length > 0 ? await terminateBackends(config, applicationName) : 0;
      if (ended === 0) await sleep(10);
    }
    report('commit', await committing, { attempts, ended });
    await admin.query('drop trigger slow_commit on documents');
    await admin.end();
    report('next', await storage.unitOfWork(put('p-after'))());
    await storage.close();
  },
};

const run = scenarios[scenario];
if (run === undefined) throw new Error(`unknown scenario ${scenario}`);
await run();
process.stdout.write('done\n');
