import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { PostgresConfig } from './postgres-fault-run.js';

const run = promisify(execFile);

/** A Debian-packaged PostgreSQL cluster (pg_ctlcluster), as on CI and on this machine. */
export interface Cluster {
  readonly version: string;
  readonly name: string;
  readonly port: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The cluster serving the test server, when this process may restart it: root, pg_ctlcluster installed, and the
 * server on this machine. Otherwise, why not.
 */
export const restartableCluster = async (config: PostgresConfig): Promise<Cluster | string> => {
  if (process.getuid?.() !== 0) return 'not root';
  if (!LOOPBACK.has(config.host ?? '127.0.0.1')) return `the server is on ${config.host}`;
  const listed = await run('pg_lsclusters', ['-h']).catch(() => undefined);
  if (listed === undefined) return 'no pg_lsclusters (not a Debian-packaged PostgreSQL)';
  const clusters = listed.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .flatMap(([version, name, port]) =>
      version !== undefined && name !== undefined && port !== undefined
        ? [{ version, name, port: Number(port) }]
        : [],
    );
  return (
    clusters.find((c) => c.port === (config.port ?? 5432)) ?? `no cluster on port ${config.port ?? 5432}`
  );
};

const isReady = async (cluster: Cluster): Promise<boolean> =>
  run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', String(cluster.port)]).then(
    () => true,
    () => false,
  );

/** Waits (up to 30 s) until the server accepts connections; resolves with the time it did. */
export const untilReady = async (cluster: Cluster): Promise<number> => {
  const until = Date.now() + 30_000;
  while (!(await isReady(cluster))) {
    if (Date.now() > until) throw new Error(`PostgreSQL ${cluster.version}/${cluster.name} is not back`);
    await sleep(20);
  }
  return Date.now();
};

/**
 * Restarts the server as an operator would (fast: open sessions are ended, committed work is kept) and resolves
 * once it accepts connections again, with the time it stopped accepting them (about) and the time it was back.
 */
export const restartPostgres = async (cluster: Cluster): Promise<{ down: number; back: number }> => {
  const down = Date.now();
  await run('pg_ctlcluster', [
    '--skip-systemctl-redirect',
    cluster.version,
    cluster.name,
    'restart',
    '-m',
    'fast',
  ]);
  return { down, back: await untilReady(cluster) };
};

/** Starts the server should a failed restart have left it down: the tests that follow need it. */
export const ensureRunning = async (cluster: Cluster): Promise<void> => {
  if (await isReady(cluster)) return;
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start']).catch(
    () => undefined,
  );
  await untilReady(cluster);
};
