// Several signers (issue #18): one full procedure through the facade on SQLite (a temp file) — send, then each
// signer in turn opens their link, asks for a code, types it and signs, then the sender downloads the certificate
// (rendered once, after the last signature) — with three signers (two contacts, then a countersigner, in sequence)
// beside one signer. Same run, same database, the two kinds interleaved (which one goes first alternates), medians
// side by side with their ratio. Expected: about linear in the number of signers (~3x), since each signer seals the
// PDF once and the certificate is rendered once either way. Prints figures only.
//   real PDF: PAdES B-B sealing and the certificate with a generated development identity (no TSA or OCSP);
//   fake PDF: sealing and certificate stubbed, what the facade and storage cost alone.
// Run: pnpm --filter @paraphe/app bench:signers [-- --quick]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SendSigners } from '@paraphe/domain';
import { type BenchApp, fmt, must, SEND_EMAIL, startBenchApp, timeMs } from './storage-bench-support.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 40;
const WARM_UP = quick ? 1 : 3;
const TENANT = 't';
const directory = mkdtempSync(join(tmpdir(), 'paraphe-signers-bench-'));

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const percentile = (xs: ReadonlyArray<number>, p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

/** The countersigner: a user of the tenant with an email and a mobile. */
const COUNTERSIGNER = { id: 'dan', name: 'Dan Morel', email: 'dan@acme.example', mobile: '06 55 44 33 22' };

let quotes = 0;
/** A quote whose CRM record has a second contact, so that it can go to one signer or to three. */
const addQuote = (app: BenchApp): string => {
  const quoteId = `q-${quotes++}`;
  app.addQuote(TENANT, quoteId);
  const quote = app.crm.quote(TENANT, quoteId);
  if (quote === undefined) throw new Error(`quote ${quoteId} not stored`);
  app.crm.putQuote({
    ...quote,
    otherContacts: [
      {
        id: `c2-${quoteId}`,
        firstName: 'Paul',
        lastName: 'Durand',
        email: 'paul.durand@example.fr',
        mobile: '06 98 76 54 32',
      },
    ],
  });
  return quoteId;
};

/** The signing link of the signer at `position`; a later signer's invitation leaves just after the commit. */
const tokenOf = async (app: BenchApp, procedureId: string, position: number): Promise<string> => {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const link = app.mailer.sent.find(
      (m) => m.procedureId === procedureId && m.kind === 'invitation' && (m.signerPosition ?? 0) === position,
    )?.template?.signingLink;
    if (link !== undefined) return link.slice(link.lastIndexOf('/') + 1);
    await new Promise((done) => setImmediate(done));
  }
  throw new Error(`no invitation for signer ${position + 1} of ${procedureId}`);
};

/** One procedure from send to certificate; `signers` absent is the quote's contact alone. */
const fullProcedure = async (app: BenchApp, count: 1 | 3): Promise<void> => {
  const quoteId = addQuote(app);
  const signers: SendSigners | undefined =
    count === 1
      ? undefined
      : { contactIds: [`c-${quoteId}`, `c2-${quoteId}`], countersignerId: COUNTERSIGNER.id };
  const seller = app.seller(TENANT);
  const sent = await must(
    app.paraphe.sender.send(seller, {
      quoteId,
      ...SEND_EMAIL,
      ...(signers === undefined ? {} : { signers }),
    }),
  );
  for (let position = 0; position < count; position++) {
    const token = await tokenOf(app, sent.id, position);
    await must(app.paraphe.signer.open(token));
    await must(app.paraphe.signer.requestCode(token));
    // In sequence, the last code sent for the procedure is this signer's.
    await must(app.paraphe.signer.verifyCode(token, app.lastCode(sent.id)));
    await must(app.paraphe.signer.sign(token, true));
  }
  const certificate = await must(app.paraphe.sender.downloadCertificate(seller, sent.id));
  if (certificate.bytes.length === 0) throw new Error('empty certificate');
};

const measure = async (pdf: 'real' | 'fake') => {
  const app = await startBenchApp({
    storage: { kind: 'sqlite', filename: join(directory, `signers-${pdf}.db`) },
    pdf,
    dispatch: 'after-each-change',
  });
  await app.openTenants([TENANT], 2 * (WARM_UP + ROUNDS));
  app.crm.putUser(TENANT, COUNTERSIGNER);
  for (let i = 0; i < WARM_UP; i++) {
    await fullProcedure(app, 1);
    await fullProcedure(app, 3);
  }
  const times = { 1: [] as number[], 3: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const order: ReadonlyArray<1 | 3> = round % 2 === 0 ? [1, 3] : [3, 1];
    for (const count of order) times[count].push(await timeMs(() => fullProcedure(app, count)));
  }
  await app.paraphe.close();
  const [one, three] = [median(times[1]), median(times[3])];
  const row = (label: string, xs: ReadonlyArray<number>) =>
    `  ${label.padEnd(24)} ${`${fmt(median(xs), 1)} ms`.padStart(12)} ${`${fmt(percentile(xs, 0.9), 1)} ms`.padStart(12)}`;
  console.log(`\n${pdf} PDF, ${ROUNDS} procedures of each kind (after ${WARM_UP} of each to warm up)`);
  console.log(`  ${''.padEnd(24)} ${'median'.padStart(12)} ${'p90'.padStart(12)}`);
  console.log(row('1 signer', times[1]));
  console.log(row('3 signers (sequential)', times[3]));
  console.log(
    `  ratio 3 / 1: ${fmt(three / one, 2)}x; per signer with three: ${fmt(three / 3, 1)} ms ` +
      `(${fmt(three / 3 / one, 2)}x one signer's procedure)`,
  );
  // Two points of a line: what each more signer adds, and what every procedure pays once (send, certificate).
  const perSigner = (three - one) / 2;
  console.log(
    `  each more signer adds ${fmt(perSigner, 1)} ms; the part paid once per procedure: ${fmt(one - perSigner, 1)} ms`,
  );
};

try {
  console.log(`Full procedure through the facade on SQLite (${directory}), 1 signer vs 3 signers`);
  await measure('real');
  await measure('fake');
} finally {
  rmSync(directory, { recursive: true, force: true });
}
