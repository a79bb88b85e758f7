import { rm } from 'node:fs/promises';
import autocannon from 'autocannon';
import { serveSigningFixture } from '../src/http-server-fixture.js';

/**
 * `pnpm --filter @paraphe/examples bench:http [-- --seconds 5 --connections 10 --storage sqlite]`: opens a signing page
 * and polls a procedure's status on loopback, each for a bounded time, and prints requests per second and p99 latency.
 * Fails (exit 1) if any request errored or answered other than 2xx.
 */
const option = (name: string, fallback: string): string => {
  const argv = process.argv.slice(2);
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? (argv[at + 1] ?? fallback) : fallback;
};

const main = async (): Promise<void> => {
  const seconds = Number(option('seconds', '5'));
  const connections = Number(option('connections', '10'));
  const storageKind = option('storage', 'memory');
  const database = `/tmp/paraphe-bench-${process.pid}.db`;
  const storage =
    storageKind === 'sqlite'
      ? ({ kind: 'sqlite', filename: database } as const)
      : ({ kind: 'memory' } as const);
  const unlimited = { limit: 1_000_000, windowMs: 1_000 };
  const served = await serveSigningFixture({
    storage,
    rateLimits: {
      codeRequests: { perToken: unlimited, perIp: unlimited },
      verifications: { perToken: unlimited, perIp: unlimited },
    },
  });
  const { token, procedureId } = await served.sendQuote('bench');
  const targets = [
    { name: 'GET /sign/:token', url: `${served.url}/sign/${token}`, headers: {} },
    {
      name: 'GET /api/procedures/:id/status',
      url: `${served.url}/api/procedures/${procedureId}/status`,
      headers: { authorization: 'Bearer seller-token' },
    },
  ];
  let lost = 0;
  process.stdout.write(`storage ${storageKind}, ${connections} connections, ${seconds} s per endpoint\n`);
  for (const target of targets) {
    const result = await autocannon({
      url: target.url,
      headers: target.headers,
      connections,
      duration: seconds,
      // The load generator runs in its own thread, so it does not take the server's event loop.
      workers: 1,
    });
    lost += result.non2xx + result.errors + result.timeouts;
    process.stdout.write(
      `${target.name.padEnd(32)} ${Math.round(result.requests.average).toString().padStart(6)} req/s  ` +
        `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  max ${result.latency.max} ms  ` +
        `total ${result.requests.total}  non-2xx ${result.non2xx}  errors ${result.errors}  timeouts ${result.timeouts}\n`,
    );
  }
  await served.close();
  for (const suffix of ['', '-wal', '-shm']) await rm(`${database}${suffix}`, { force: true });
  if (lost > 0) {
    process.stderr.write(`${lost} requests failed\n`);
    process.exitCode = 1;
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
