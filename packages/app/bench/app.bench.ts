/**
 * Complete signature procedures per second through the facade, in memory, with the real PAdES sealer and a
 * development identity: send (with the invitation's delivery) → open → request code → verify → sign.
 * Run: pnpm --filter @paraphe/app bench   (PROCEDURES=500 to change the count)
 */
import { admin, makeHarness, seller } from '../src/test-support/harness.js';

const STEPS = ['send', 'open', 'requestCode', 'verifyCode', 'sign'] as const;
type Step = (typeof STEPS)[number];

const PROCEDURES = Number(process.env.PROCEDURES ?? 300);
const WARM_UP = 20;

const unwrap = async <A>(
  task: () => Promise<{ _tag: 'Left'; left: { code: string } } | { _tag: 'Right'; right: A }>,
) => {
  const result = await task();
  if (result._tag === 'Left') throw new Error(result.left.code);
  return result.right;
};

const h = await makeHarness();
const { sender, signer } = h.paraphe;
await unwrap(h.paraphe.admin.activate(admin));
await unwrap(
  h.paraphe.admin.orderCredits(admin, { quantity: PROCEDURES + WARM_UP, orderReference: 'bench' }),
);
for (let i = 0; i < PROCEDURES + WARM_UP; i++) await h.putQuote(`b${i}`);

const timings: Record<Step, number[]> = { send: [], open: [], requestCode: [], verifyCode: [], sign: [] };
const timed = async <A>(step: Step, record: boolean, work: () => Promise<A>): Promise<A> => {
  const start = performance.now();
  const result = await work();
  if (record) timings[step].push(performance.now() - start);
  return result;
};

const oneProcedure = async (i: number, record: boolean) => {
  const sent = await timed('send', record, () =>
    unwrap(sender.send(seller, { quoteId: `b${i}`, subject: 'Devis', body: 'Signez : {{signing_link}}' })),
  );
  const token = h.tokenFor(sent.id);
  await timed('open', record, () => unwrap(signer.open(token)));
  await timed('requestCode', record, () => unwrap(signer.requestCode(token)));
  const code = h.lastCode(sent.id);
  await timed('verifyCode', record, () => unwrap(signer.verifyCode(token, code)));
  const page = await timed('sign', record, () => unwrap(signer.sign(token, true)));
  if (page.status !== 'signed') throw new Error(`procedure ${sent.id} ended ${page.status}`);
};

for (let i = 0; i < WARM_UP; i++) await oneProcedure(i, false);
const started = performance.now();
for (let i = WARM_UP; i < WARM_UP + PROCEDURES; i++) await oneProcedure(i, true);
const seconds = (performance.now() - started) / 1000;

const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const percentile = (xs: ReadonlyArray<number>, p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
const total = STEPS.reduce((sum, step) => sum + mean(timings[step]), 0);

console.log(`procedures            ${PROCEDURES}`);
console.log(`seconds               ${seconds.toFixed(2)}`);
console.log(`procedures/s          ${(PROCEDURES / seconds).toFixed(1)}`);
console.log('step          mean ms    p95 ms   share');
for (const step of STEPS) {
  const xs = timings[step];
  console.log(
    `${step.padEnd(12)} ${mean(xs).toFixed(2).padStart(8)} ${percentile(xs, 0.95).toFixed(2).padStart(9)} ${((100 * mean(xs)) / total).toFixed(1).padStart(6)}%`,
  );
}
await h.paraphe.close();
