import { parseArgs } from 'node:util';
import { makeInMemoryCrm } from '@paraphe/adapters';
import { createParaphe } from '@paraphe/app';
import * as E from 'fp-ts/lib/Either.js';

/**
 * `pnpm --filter @paraphe/examples worker [--database out/paraphe.db] [--interval 5000]`: the periodic work — outbox
 * delivery, reminders, expiry — as a process of its own, beside any number of app instances on the same database.
 * SIGTERM or Ctrl-C stops it gracefully: the run in progress finishes, so no message stays claimed for a lease.
 * A CRM writes the same few lines with its own `QuoteSource` and configuration.
 */
const main = async (): Promise<void> => {
  const args = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      database: { type: 'string', default: 'out/paraphe.db' },
      interval: { type: 'string', default: '5000' },
    },
  }).values;
  // Stands for the CRM's own QuoteSource: the worker asks it for senders' names and creates follow-up actions.
  const crm = makeInMemoryCrm();
  const created = await createParaphe({
    crm,
    notifier: crm,
    config: {
      signingBaseUrl: 'http://127.0.0.1:3000/sign/',
      secretKey: process.env.PARAPHE_SECRET_KEY ?? 'demo-only-secret-key-change-me-0123456789abcdef',
      storage: { kind: 'sqlite', filename: args.database ?? 'out/paraphe.db' },
      dispatch: 'manual',
    },
  });
  if (E.isLeft(created)) throw new Error(`${created.left.code}: ${JSON.stringify(created.left.details)}`);
  const paraphe = created.right;
  const stopping = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopping.abort());
  process.stdout.write(`worker started (pid ${process.pid}); SIGTERM stops it\n`);
  await paraphe.system.startWorker({
    signal: stopping.signal,
    intervalMs: Number(args.interval),
    onRun: (outcome) =>
      process.stdout.write(
        `${JSON.stringify(E.isRight(outcome) ? { ok: true, ...(outcome.right as object) } : { ok: false, code: outcome.left.code })}\n`,
      ),
  });
  await paraphe.close();
  process.stdout.write('worker stopped\n');
};

main().catch((error: unknown) => {
  process.stderr.write(`worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
