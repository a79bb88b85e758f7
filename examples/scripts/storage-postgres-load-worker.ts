// One app instance on PostgreSQL, in its own process, sending and signing while the test ends its sessions:
// `node --import tsx --conditions=@paraphe/source storage-postgres-load-worker.ts <connection string> <instance>
// <mail log>`. Prints `ready` once its app is built, waits for `go` on stdin, then prints one JSON line per call (see
// `CallLine` in postgres-fault-run.ts: its timestamps, its outcome) until `stop` comes (or stdin closes, or MAX_MS or
// MAX_SENDS is reached); then it closes the app, prints `stopped <sends>`, and ends by itself. Nothing is retried but
// a signer's step that failed with a retryable error.
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DomainError, isRetryable } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { CallLine } from '../src/test-support/postgres-fault-run.js';
import {
  lastCode,
  makeFileMailer,
  SEND_EMAIL,
  seller,
  startStorageApp,
  tokenOf,
} from '../src/test-support/storage-world.js';

const [connectionString, instance, mailLog] = process.argv.slice(2);
if (connectionString === undefined || instance === undefined || mailLog === undefined)
  throw new Error('usage: storage-postgres-load-worker.ts <connection string> <instance> <mail log>');

/** Bounds, should the test never say stop. */
const MAX_MS = 60_000;
const MAX_SENDS = 4_000;
/** Concurrent flows (a send, then the signer's steps) in this instance. */
const LANES = 3;
/** A pause between flows, and after a failed call: a few hundred sends per second in all, not a busy loop. */
const PAUSE_MS = 10;

const mailer = makeFileMailer(mailLog);
const { paraphe, crm, sms } = await startStorageApp({
  storage: { kind: 'postgres', connectionString },
  fakePdf: true,
  adapters: { mailer },
});
const { sender, signer } = paraphe;

// Should the test die without a word, or a call never answer, the process still ends: with 3, which no run expects.
setTimeout(() => process.exit(3), MAX_MS + 30_000).unref();

let stopping = false;
let go: () => void = () => undefined;
const going = new Promise<void>((resolve) => {
  go = resolve;
});
const commands = createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line === 'go') go();
    if (line === 'stop') stopping = true;
  })
  .on('close', () => {
    stopping = true;
    go();
  });

/** Runs one call of the facade and prints what it answered, and when. */
const call = async <A>(
  what: Omit<CallLine, 'instance' | 'start' | 'end' | 'outcome' | 'retryable'>,
  task: TE.TaskEither<DomainError, A>,
): Promise<E.Either<DomainError, A>> => {
  const start = Date.now();
  const result = await task();
  const line: CallLine = {
    instance,
    ...what,
    start,
    end: Date.now(),
    outcome: E.isRight(result) ? 'ok' : result.left.code,
    ...(E.isLeft(result) ? { retryable: isRetryable(result.left) } : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (E.isLeft(result)) await sleep(PAUSE_MS);
  return result;
};

/** A signer's step, tried again (3 times at most) while it fails with an error that says it certainly did nothing. */
const step = async <A>(
  op: CallLine['op'],
  procedureId: string,
  task: () => TE.TaskEither<DomainError, A>,
): Promise<boolean> => {
  for (let attempt = 1; ; attempt++) {
    const result = await call({ op, procedureId }, task());
    if (E.isRight(result)) return true;
    if (!isRetryable(result.left) || attempt >= 3) return false;
  }
};

/** Open, ask for a code, type it, sign: each step stops the flow when it fails for good. */
const signerFlow = async (procedureId: string): Promise<void> => {
  // The invitation leaves after the send's commit; a delivery that failed leaves no link to follow.
  const link = mailer.links.get(procedureId);
  if (link === undefined) return;
  const token = tokenOf(link);
  if (!(await step('open', procedureId, () => signer.open(token)))) return;
  if (!(await step('requestCode', procedureId, () => signer.requestCode(token)))) return;
  if (!(await step('verifyCode', procedureId, () => signer.verifyCode(token, lastCode(sms, procedureId)))))
    return;
  await step('sign', procedureId, () => signer.sign(token, true));
};

let sends = 0;
let started = 0;
const lane = async (): Promise<void> => {
  while (!stopping && sends < MAX_SENDS && Date.now() - started < MAX_MS) {
    const n = sends++;
    const quoteId = `q-${instance}-${n}`;
    const idempotencyKey = `k-${instance}-${n}`;
    await crm.addQuote(quoteId);
    const sent = await call(
      { op: 'send', quoteId, idempotencyKey },
      sender.send(seller, { quoteId, idempotencyKey, ...SEND_EMAIL }),
    );
    if (E.isRight(sent)) await signerFlow(sent.right.id);
    await sleep(PAUSE_MS);
  }
};

process.stdout.write('ready\n');
await going;
started = Date.now();
await Promise.all(Array.from({ length: LANES }, lane));
await paraphe.close();
commands.close();
process.stdin.destroy();
process.stdout.write(`stopped ${sends}\n`);
