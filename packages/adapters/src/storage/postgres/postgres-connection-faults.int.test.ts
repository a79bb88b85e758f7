import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { StorageError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  connectionStringFor,
  createSchema,
  describeOnPostgres,
  findPostgres,
  type SchemaScope,
} from '../test-support/postgres-test-database.js';
import { assertRight } from '../test-support/run-work.js';
import { startSilentRelay, unusedPort } from '../test-support/silent-relay.js';
import { makePostgresStorage, type PostgresStorage } from './postgres-storage.js';

const config = await findPostgres();
const script = fileURLToPath(new URL('../test-support/postgres-connection-loss.ts', import.meta.url));
const BYTES = new Uint8Array([37, 80, 68, 70]);

interface Step {
  readonly step: string;
  readonly outcome: string;
  readonly retryable: boolean | null;
  readonly [more: string]: unknown;
}

/** Runs a scenario of postgres-connection-loss.ts in its own process: how it ended, and the steps it printed. */
const runScenario = (scenario: string, settings: object) =>
  new Promise<{ exit: number | string; steps: ReadonlyArray<Step>; done: boolean; stderr: string }>(
    (resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--conditions=@paraphe/source', script, scenario, JSON.stringify(settings)],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('exit', (code, signal) => {
        const lines = stdout.split('\n').filter(Boolean);
        resolve({
          exit: signal ?? code ?? -1,
          steps: lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Step),
          done: lines.includes('done'),
          stderr,
        });
      });
    },
  );

/**
 * A first unit of work, so that the storage's migrations are behind it. With a short statement timeout its wait for
 * the migration lock, which every test file migrating a schema takes, may time out: it is tried again.
 */
const warmUp = async (storage: PostgresStorage): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    const result = await storage.unitOfWork((s) => s.ledger.balanceForUpdate('t-0'))();
    if (E.isRight(result) || attempt === 5) {
      assertRight(result);
      return;
    }
  }
};

const failure = (result: E.Either<StorageError, unknown>): StorageError => {
  if (E.isRight(result)) throw new Error('expected a Left');
  return result.left;
};

describeOnPostgres('postgres connection faults', config, (config) => {
  let scope: SchemaScope;
  beforeEach(async () => {
    scope = await createSchema(config);
  });
  afterEach(async () => {
    await scope.drop();
  });
  const settings = () => ({ config, schema: scope.schema });
  /** The scenario's process must have ended by itself, after its last step: no 'error' event crashed it. */
  const expectNoCrash = (run: Awaited<ReturnType<typeof runScenario>>) => {
    expect(run.stderr).not.toMatch(/Unhandled 'error' event|uncaught/i);
    expect({ exit: run.exit, done: run.done }).toStrictEqual({ exit: 0, done: true });
  };

  it.each(['idle-own-pool', 'idle-borrowed-pool'])(
    '%s: idle sessions ended by the server do not crash the process, the next call connects again',
    async (scenario) => {
      const run = await runScenario(scenario, settings());
      expectNoCrash(run);
      expect(run.steps).toMatchObject([
        { step: 'before', outcome: 'ok' },
        { step: 'after', outcome: 'ok', ended: 1 },
      ]);
    },
  );

  it('a session ended in the middle of a unit of work: re-run on a fresh connection, or a retryable failure', async () => {
    const run = await runScenario('mid-unit-of-work', settings());
    expectNoCrash(run);
    expect(run.steps).toMatchObject([
      { step: 're-run', outcome: 'ok', attempts: 2, ended: 1 },
      // With one attempt allowed: a retryable StorageUnavailable, and nothing was written.
      {
        step: 'no re-run',
        outcome: 'StorageUnavailable',
        retryable: true,
        attempts: 1,
        ended: 1,
        stored: false,
      },
      { step: 'next', outcome: 'ok' },
    ]);
  });

  it('a session ended while COMMIT is in flight: StorageOutcomeUnknown, not re-run', async () => {
    const run = await runScenario('during-commit', settings());
    expectNoCrash(run);
    expect(run.steps).toMatchObject([
      { step: 'migrate', outcome: 'ok' },
      { step: 'commit', outcome: 'StorageOutcomeUnknown', retryable: false, attempts: 1, ended: 1 },
      { step: 'next', outcome: 'ok' },
    ]);
  });

  it('a refused connection is a retryable failure; the pending migrations run once the server answers', async () => {
    const port = await unusedPort();
    const connectionString = connectionStringFor({ ...config, port }, scope.schema);
    const storage = makePostgresStorage({ connectionString });
    const refused = failure(await storage.unitOfWork((s) => s.documents.put('p-1', 'original', BYTES))());
    expect(refused).toMatchObject({ _tag: 'StorageUnavailable', retryable: true });
    expect(String(refused.cause)).toMatch(/ECONNREFUSED/);
    const relay = await startSilentRelay(
      { host: config.host ?? '127.0.0.1', port: config.port ?? 5432 },
      port,
    );
    try {
      expect(E.isRight(await storage.unitOfWork((s) => s.documents.put('p-1', 'original', BYTES))())).toBe(
        true,
      );
    } finally {
      await storage.close();
      await relay.close();
    }
  });

  it('a server that accepts but never answers: a retryable failure after the connect timeout', async () => {
    const sockets = new Set<Socket>();
    const mute: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', () => resolve()));
    const port = (mute.address() as { port: number }).port;
    const storage = makePostgresStorage({
      connectionString: connectionStringFor({ ...config, port }, scope.schema),
      connectTimeoutMs: 200,
    });
    try {
      const timedOut = failure(await storage.migrate()());
      expect(timedOut).toMatchObject({ _tag: 'StorageTimeout', retryable: true });
      expect(String(timedOut.cause)).toMatch(/connection timeout/);
    } finally {
      await storage.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
  });

  it('a statement past the statement timeout: a retryable failure, not re-run; the next call succeeds', async () => {
    const storage = makePostgresStorage({
      connectionString: connectionStringFor(config, scope.schema),
      statementTimeoutMs: 200,
    });
    await warmUp(storage);
    // Another session holds the lock the unit of work needs, longer than the statement timeout.
    const holder = new pg.Client({ ...config, options: `-c search_path=${scope.schema}` });
    await holder.connect();
    await holder.query('begin');
    await holder.query('lock table credit_balances in access exclusive mode');
    let attempts = 0;
    const blocked = await storage.unitOfWork((s) => {
      attempts += 1;
      return s.ledger.balanceForUpdate('t-1');
    })();
    await holder.query('rollback');
    await holder.end();
    try {
      expect(failure(blocked)).toMatchObject({ _tag: 'StorageTimeout', retryable: true });
      expect(String(failure(blocked).cause)).toMatch(/statement timeout/);
      expect(attempts).toBe(1);
      expect(E.isRight(await storage.unitOfWork((s) => s.ledger.balanceForUpdate('t-1'))())).toBe(true);
    } finally {
      await storage.close();
    }
  });

  it('a server gone silent: the client stops waiting, drops the connection, and connects again', async () => {
    const relay = await startSilentRelay({ host: config.host ?? '127.0.0.1', port: config.port ?? 5432 });
    const storage = makePostgresStorage({
      connectionString: connectionStringFor({ ...config, port: relay.port }, scope.schema),
      statementTimeoutMs: 100,
      maxConnections: 1,
    });
    try {
      await warmUp(storage);
      relay.silence();
      const unanswered = failure(
        await storage.unitOfWork((s) => s.documents.put('p-1', 'original', BYTES))(),
      );
      expect(unanswered).toMatchObject({ _tag: 'StorageTimeout', retryable: true });
      expect(String(unanswered.cause)).toMatch(/Query read timeout/);
      relay.resume();
      // The pool's one connection was dropped: had it been kept, this would queue behind the unanswered BEGIN.
      expect(E.isRight(await storage.unitOfWork((s) => s.documents.put('p-1', 'original', BYTES))())).toBe(
        true,
      );
    } finally {
      await storage.close();
      await relay.close();
    }
  });
});
