import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeInMemoryCrm, makeInMemoryMailer, makeInMemorySmsSender } from '@paraphe/adapters';
import { makeSigningApp, serveSigningApp } from '@paraphe/adapters/http';
import { createParaphe } from '@paraphe/app';
import type { DomainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { pino } from 'pino';
import { adminActor, demoAuthenticate, sellerActor, TENANT, twoPageQuote } from './http-fixture.js';

const run = async <A>(task: TE.TaskEither<DomainError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message.en}`);
  return result.right;
};

/** `pnpm demo:server [--port 3000] [--out out]`: the signing page and the sender API on 127.0.0.1, in development mode. */
const main = async (): Promise<void> => {
  const args = parseArgs({
    // pnpm passes a lone `--` through to the script.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { port: { type: 'string', default: '3000' }, out: { type: 'string', default: 'out' } },
  }).values;
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port: not a port number: ${args.port}`);
  const hostname = '127.0.0.1';
  const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), args.out ?? 'out');
  await mkdir(outDir, { recursive: true });
  const database = resolve(outDir, 'paraphe.db');
  // The CRM below lives in memory: a database left by a previous run would point at quotes and users it forgot.
  for (const suffix of ['', '-wal', '-shm']) await rm(`${database}${suffix}`, { force: true });

  // JSON lines on stderr, as an operator's log collector reads them; stdout keeps the banner below. Paraphe's log
  // lines carry ids and codes only (never a link, token, SMS code or key); LOG_LEVEL=warn keeps only problems.
  const logger = pino({ name: 'paraphe-demo', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const crm = makeInMemoryCrm();
  const mailer = makeInMemoryMailer();
  const sms = makeInMemorySmsSender();
  crm.putUser(TENANT, { id: 'u-seller', name: 'Bruno Vendeur', email: 'bruno@acme.example' });
  crm.putUser(TENANT, { id: 'u-admin', name: 'Alice Admin', email: 'alice@acme.example' });
  const created = await createParaphe({
    crm,
    notifier: crm,
    config: {
      signingBaseUrl: `http://${hostname}:${port}/sign/`,
      secretKey: 'demo-only-secret-key-change-me-0123456789abcdef',
      storage: { kind: 'sqlite', filename: database },
      dispatch: 'after-each-change',
    },
    adapters: { mailer, sms, logger },
  });
  if (E.isLeft(created)) throw new Error(`${created.left.code}: ${JSON.stringify(created.left.details)}`);
  const paraphe = created.right;

  await run(paraphe.admin.activate(adminActor));
  await run(paraphe.admin.orderCredits(adminActor, { quantity: 10, orderReference: 'PO-DEMO' }));
  await run(
    paraphe.admin.updateSettings(adminActor, { tenantName: 'ACME Industries', procedureLifetimeDays: 15 }),
  );
  crm.putQuote({
    id: 'q-42',
    tenantId: TENANT,
    number: 'D-2026-0042',
    ownerId: 'u-seller',
    contact: {
      id: 'c-1',
      firstName: 'Claire',
      lastName: 'Martin',
      email: 'claire.martin@atelier-martin.fr',
      mobile: '06 12 34 56 78',
    },
    document: { fileName: 'D-2026-0042.pdf', bytes: await twoPageQuote('D-2026-0042') },
  });
  const sent = await run(
    paraphe.sender.send(sellerActor, {
      quoteId: 'q-42',
      subject: 'Votre devis D-2026-0042',
      body: 'Bonjour Claire,\n\nVoici notre devis : {{signing_link}}\n\nBruno',
    }),
  );

  const app = makeSigningApp({
    signer: paraphe.signer,
    sender: paraphe.sender,
    admin: paraphe.admin,
    authenticate: demoAuthenticate,
    // Random per run: forms from a previous run are refused, which is what a restart with a new secret does.
    csrfSecret: randomBytes(32).toString('base64url'),
    devOutbox: () => ({ emails: mailer.sent, sms: sms.sent }),
    // The error's kind and where it was thrown; the client saw a generic page.
    onError: (error) =>
      logger.error(
        error instanceof Error ? { error: error.name, stack: error.stack } : { error: typeof error },
        'http request failed',
      ),
  });
  const server = await serveSigningApp(app, { hostname, port });
  logger.info({ url: server.url, storage: database }, 'demo server listening');
  // The worker delivers what requests left, sends reminders and expires procedures, until the server stops.
  const stopping = new AbortController();
  const worker = paraphe.system.startWorker({
    signal: stopping.signal,
    intervalMs: 2_000,
    onRun: (outcome) => {
      if (E.isLeft(outcome))
        logger.warn({ code: outcome.left.code }, 'worker run failed, retried at the next run');
    },
  });

  const link = mailer.sent.find((m) => m.procedureId === sent.id && m.kind === 'invitation')?.template
    ?.signingLink;
  process.stdout.write(
    [
      `Paraphe demo server on ${server.url} (storage ${database})`,
      '',
      `  signing page:  ${link}`,
      `  SMS and email: ${server.url}/_dev/outbox`,
      `  sender API:    curl -H 'Authorization: Bearer seller-token' ${server.url}/api/procedures/${sent.id}/status`,
      `  admin API:     curl -H 'Authorization: Bearer admin-token' -H 'Content-Type: application/json' \\`,
      `                   -d '{"quantity":5,"orderReference":"PO-2"}' ${server.url}/api/credits`,
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );

  const stop = async () => {
    await server.close();
    // The run in progress finishes (its claims settled) before the database closes.
    stopping.abort();
    await worker;
    await paraphe.close();
    logger.info({}, 'demo server stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
};

main().catch((error: unknown) => {
  process.stderr.write(`demo server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
