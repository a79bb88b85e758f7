// Delivery within the request (issue #15), side by side in one run, on SQLite. Prints figures only.
//   (a) sender.send per second with the default dispatch (each send delivers its invitation and the CRM
//       notification it causes, to an in-memory mailer and notifier) beside `dispatch: 'manual'` (delivery left to
//       the worker): rounds of each in turn, medians. Target: default ≥ 50 % of manual. For scale, manual sends
//       with the time the worker then takes to deliver them (the same messages, claimed 50 at a time).
//   (b) signer requests that deliver (verifyCode, decline) with a CRM webhook on loopback that answers at once,
//       then one that accepts the request and never answers: p50 / p99, and how many requests waited out the
//       budget. Target: hung p99 / healthy p99 ≤ 1.2.
// Run: pnpm --filter @paraphe/app bench:delivery [-- --quick] [-- --only=send|signer]
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BenchApp,
  fmt,
  must,
  rate,
  SEND_EMAIL,
  startBenchApp,
  timeMs,
} from './storage-bench-support.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const ROUNDS = quick ? 1 : 3;
const SENDS = quick ? 500 : 2_000;
const WARM_UP = quick ? 200 : 1_000;
const SAMPLES = quick ? 150 : 400;
/** A request that took this long waited out (most of) the request budget, 1 000 ms by default. */
const WAITED_MS = 500;
const directory = mkdtempSync(join(tmpdir(), 'paraphe-delivery-bench-'));

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const percentile = (xs: ReadonlyArray<number>, p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const line = (label: string, value: string, note = '') =>
  console.log(`  ${label.padEnd(56)} ${value.padStart(12)}  ${note}`);
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

let files = 0;
const sqlite = () => ({ kind: 'sqlite', filename: join(directory, `bench-${files++}.db`) }) as const;

let quotes = 0;
const sendOne = (app: BenchApp) => async () => {
  const quoteId = `q-${quotes++}`;
  app.addQuote('t', quoteId);
  await must(app.paraphe.sender.send(app.seller('t'), { quoteId, ...SEND_EMAIL }));
};

const sendThroughput = async () => {
  console.log(`\n(a) sender.send on SQLite, fake PDF inspection, ${SENDS} sends per round, ${ROUNDS} rounds`);
  const apps = {
    manual: await startBenchApp({ storage: sqlite(), pdf: 'fake', dispatch: 'manual' }),
    default: await startBenchApp({ storage: sqlite(), pdf: 'fake', dispatch: 'after-each-change' }),
  };
  const total = WARM_UP + 2 * ROUNDS * SENDS;
  for (const app of Object.values(apps)) {
    await app.openTenants(['t'], total);
    await rate(WARM_UP, 1, sendOne(app));
  }
  await must(apps.manual.paraphe.system.dispatchOutbox());
  for (const lanes of [1, 8]) {
    const rates = { manual: [] as number[], default: [] as number[], withWorker: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const manualRate = await rate(SENDS, lanes, sendOne(apps.manual));
      const dispatchMs = await timeMs(() => must(apps.manual.paraphe.system.dispatchOutbox()));
      rates.manual.push(manualRate);
      rates.withWorker.push(SENDS / (SENDS / manualRate + dispatchMs / 1000));
      rates.default.push(await rate(SENDS, lanes, sendOne(apps.default)));
    }
    const [manual, defaults] = [median(rates.manual), median(rates.default)];
    const ratio = defaults / manual;
    line(`manual (delivery left to the worker), ${lanes} lane(s)`, `${fmt(manual)} /s`);
    line(
      `  with the worker's delivery of them afterwards`,
      `${fmt(median(rates.withWorker))} /s`,
      `${fmt((100 * median(rates.withWorker)) / manual)} % of manual`,
    );
    line(
      `after-each-change (default), ${lanes} lane(s)`,
      `${fmt(defaults)} /s`,
      `${fmt(100 * ratio)} % of manual (target ≥ 50 %: ${verdict(ratio >= 0.5)})`,
    );
  }
  const delivered = apps.default.mailer.sent.filter((m) => m.kind === 'invitation').length;
  line('invitations the default sends delivered themselves', fmt(delivered));
  for (const app of Object.values(apps)) await app.paraphe.close();
};

/** A CRM endpoint on loopback: answers 204 at once, or, once `hang()` is called, reads requests and never answers. */
const startCrmEndpoint = async () => {
  let hanging = false;
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (hanging) held.add(res);
      else res.writeHead(204).end();
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/paraphe/events`,
    hang: () => {
      hanging = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Procedures opened with a code requested, ready for verifyCode then decline; prepared while the CRM answers. */
const prepare = async (app: BenchApp, count: number) => {
  const ready: Array<{ token: string; code: string }> = [];
  for (let i = 0; i < count; i++) {
    const quoteId = `s-${quotes++}`;
    app.addQuote('t', quoteId);
    const sent = await must(app.paraphe.sender.send(app.seller('t'), { quoteId, ...SEND_EMAIL }));
    const token = app.tokenFor(sent.id);
    await must(app.paraphe.signer.open(token));
    await must(app.paraphe.signer.requestCode(token));
    ready.push({ token, code: app.lastCode(sent.id) });
  }
  return ready;
};

const measure = async (app: BenchApp, ready: ReadonlyArray<{ token: string; code: string }>) => {
  const verify: number[] = [];
  const decline: number[] = [];
  for (const { token, code } of ready) {
    verify.push(await timeMs(() => must(app.paraphe.signer.verifyCode(token, code))));
    decline.push(await timeMs(() => must(app.paraphe.signer.decline(token, 'bench'))));
  }
  return { verifyCode: verify, decline };
};

const signerLatency = async () => {
  console.log(
    `\n(b) signer requests on SQLite, CRM webhook on loopback, ${SAMPLES} samples each, healthy then hung`,
  );
  const crm = await startCrmEndpoint();
  const app = await startBenchApp({
    storage: sqlite(),
    pdf: 'fake',
    dispatch: 'after-each-change',
    webhookUrl: crm.url,
  });
  await app.openTenants(['t'], 2 * SAMPLES + 50);
  await measure(app, await prepare(app, 30));
  const healthyReady = await prepare(app, SAMPLES);
  const hungReady = await prepare(app, SAMPLES);
  const healthy = await measure(app, healthyReady);
  crm.hang();
  const hung = await measure(app, hungReady);
  const ms = (xs: ReadonlyArray<number>, p: number) => fmt(percentile(xs, p), 2).padStart(8);
  console.log(
    `  ${'call (ms)'.padEnd(12)} ${'healthy p50'.padStart(11)} ${'p99'.padStart(8)}  ${'hung p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}  waited  hung/healthy p99`,
  );
  for (const call of ['verifyCode', 'decline'] as const) {
    const ratio = percentile(hung[call], 0.99) / percentile(healthy[call], 0.99);
    const waited = hung[call].filter((t) => t >= WAITED_MS).length;
    console.log(
      `  ${call.padEnd(12)} ${ms(healthy[call], 0.5).padStart(11)} ${ms(healthy[call], 0.99)}  ${ms(hung[call], 0.5)} ${ms(hung[call], 0.99)} ${ms(hung[call], 1)}  ${String(waited).padStart(6)}  ${fmt(ratio, 2)} (target ≤ 1.2: ${verdict(ratio <= 1.2)})`,
    );
  }
  // The deliveries still waiting on the hung receiver end when its connections drop; then the database closes.
  await crm.close();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await app.paraphe.close();
};

try {
  if (only !== 'signer') await sendThroughput();
  if (only !== 'send') await signerLatency();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
