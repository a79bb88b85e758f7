// Sealing benchmark: our sealer vs @signpdf (baseline) vs the floor (load + save + one signature + hash).
// Run: cd /work/main && npx tsx --conditions=@paraphe/source packages/adapters/bench/pdf/seal.bench.ts [--signers]
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument as CantooDocument, ParseSpeeds } from '@cantoo/pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { generateDevelopmentSigningIdentity } from '../../src/pdf/development-identity.js';
import { startDevelopmentTrustServices } from '../../src/pdf/development-trust-services.js';
import { makePadesDocumentSealer } from '../../src/pdf/pades-document-sealer.js';
import { makeHttpRevocationSource } from '../../src/pdf/revocation-source.js';
import { fiftyPagePdf, largePdf, onePagePdf } from '../../src/pdf/test-support/corpus.js';
import { sealRequestFor } from '../../src/pdf/test-support/seal-request.js';
import { interleaved, type Timing } from './interleaved.js';

const WARMUP = 10;
const BLOCK = 10;
const ROUNDS = 8;

const OPTIONS = { warmup: WARMUP, block: BLOCK, rounds: ROUNDS };
const compare = <K extends string>(contenders: Record<K, () => Promise<unknown>>) =>
  interleaved(contenders, OPTIONS);

const toP12 = (keyPem: string, certPems: ReadonlyArray<string>): Buffer => {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(keyPem),
    certPems.map((c) => forge.pki.certificateFromPem(c)),
    'bench',
    { algorithm: '3des' },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
};

const memoryChild = async (path: string): Promise<void> => {
  const identity = await generateDevelopmentSigningIdentity();
  const sealer = makePadesDocumentSealer({ identity, maxDocumentBytes: 64 * 1024 * 1024 });
  await sealer.seal(sealRequestFor(await onePagePdf()))();
  const bytes = new Uint8Array(readFileSync(path));
  const request = sealRequestFor(bytes);
  global.gc?.();
  const before = process.resourceUsage().maxRSS * 1024;
  const rssBefore = process.memoryUsage().rss;
  const result = await sealer.seal(request)();
  const peak = process.resourceUsage().maxRSS * 1024;
  if (result._tag === 'Left') throw new Error(result.left.code);
  // maxRSS is a high-water mark: the delta is what sealing added on top of what was already resident.
  const delta = peak - Math.max(before, rssBefore);
  process.stdout.write(JSON.stringify({ size: bytes.length, delta }));
};

const main = async (): Promise<void> => {
  const identity = await generateDevelopmentSigningIdentity();
  const sealer = makePadesDocumentSealer({ identity });
  const p12 = toP12(identity.privateKeyPem, identity.certificateChainPem as ReadonlyArray<string>);
  const key = createPrivateKey(identity.privateKeyPem);
  const documents = { '1 page': await onePagePdf(), '50 pages': await fiftyPagePdf() };

  const ours = (doc: Uint8Array) => {
    // Built once: the request's SHA-256 of the original is the caller's work, not the sealer's.
    const request = sealRequestFor(doc);
    return async () => {
      const r = await sealer.seal(request)();
      if (r._tag === 'Left') throw new Error(r.left.code);
    };
  };
  const baseline = (doc: Uint8Array) => async () => {
    const pdfDoc = await PDFDocument.load(doc);
    pdflibAddPlaceholder({ pdfDoc, reason: 'bench', contactInfo: 'bench', name: 'bench', location: 'bench' });
    const withPlaceholder = Buffer.from(await pdfDoc.save({ useObjectStreams: false }));
    // A P12Signer signs only once, so each run needs its own.
    await new SignPdf().sign(withPlaceholder, new P12Signer(p12, { passphrase: 'bench' }));
  };
  // What any pdf-lib-based sealer must pay at least: parse, serialize, one RSA signature, one hash.
  const floor = (doc: Uint8Array) => async () => {
    const pdf = await CantooDocument.load(doc, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
    const saved = await pdf.save({ objectsPerTick: Number.POSITIVE_INFINITY });
    createHash('sha256').update(saved).digest();
    sign('sha256', Buffer.from('floor'), key);
  };

  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`Node ${process.version}, ${cpus().length} CPUs, load average ${load()} (1, 5, 15 min)`);
  console.log(
    `medians of ${ROUNDS * BLOCK} runs each, in interleaved blocks of ${BLOCK}, after ${WARMUP} warm-up runs; ` +
      'wall ms (CPU ms)\n',
  );
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const rows: string[][] = [['document', 'ours', '@signpdf baseline', 'floor', 'baseline / ours']];
  const verdicts: string[] = [];
  for (const [label, doc] of Object.entries(documents)) {
    const t = await compare({ ours: ours(doc), baseline: baseline(doc), floor: floor(doc) });
    const ratio = { wall: t.baseline.wall / t.ours.wall, cpu: t.baseline.cpu / t.ours.cpu };
    rows.push([
      label,
      cell(t.ours),
      cell(t.baseline),
      cell(t.floor),
      `${ratio.wall.toFixed(1)}× (${ratio.cpu.toFixed(1)}×)`,
    ]);
    const limit = label === '1 page' ? 5 : 15;
    verdicts.push(
      `${label}: ours < ${limit} ms: ${verdict(t.ours.wall < limit)} (CPU ${verdict(t.ours.cpu < limit)})` +
        (label === '1 page'
          ? `; ≥ 8× baseline: ${verdict(ratio.wall >= 8)} (CPU ${verdict(ratio.cpu >= 8)})`
          : ''),
    );
  }
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(i === 0 ? 10 : 22)).join(''));
  console.log(`\ntargets: ${verdicts.join('\n         ')}`);
  console.log(`load average after: ${load()}`);

  await levels(documents, load);
  await signers(sealer, documents, load);

  const dir = mkdtempSync(join(tmpdir(), 'paraphe-bench-'));
  const path = join(dir, 'large.pdf');
  writeFileSync(path, await largePdf(20 * 1024 * 1024));
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), '--memory', path],
    { encoding: 'utf8' },
  );
  const { size, delta } = JSON.parse(out) as { size: number; delta: number };
  console.log(
    `\npeak memory sealing a ${(size / 1024 / 1024).toFixed(1)} MB PDF: +${(delta / 1024 / 1024).toFixed(1)} MB RSS ` +
      `= ${(delta / size).toFixed(2)}× the document size (target < 4×: ${delta / size < 4 ? 'met' : 'NOT met'})`,
  );
};

/**
 * B-B beside B-LTA (a signature timestamp, the /DSS with OCSP responses for the signer and the TSA, a document
 * timestamp) with the development TSA and OCSP responder on loopback, in this process. The sealer's revocation
 * cache answers OCSP after the first seal (as in production within maxAgeMs); the last column asks every time.
 */
const levels = async (documents: Record<string, Uint8Array>, load: () => string): Promise<void> => {
  const trust = await startDevelopmentTrustServices();
  try {
    const bb = makePadesDocumentSealer({ identity: trust.identity });
    const lta = makePadesDocumentSealer({
      identity: trust.identity,
      timestampAuthority: trust.timestampAuthority,
      level: 'B-LTA',
    });
    const ltaUncached = makePadesDocumentSealer({
      identity: trust.identity,
      timestampAuthority: trust.timestampAuthority,
      level: 'B-LTA',
      revocation: makeHttpRevocationSource({ maxAgeMs: 0 }),
    });
    const run = (sealer: typeof bb, doc: Uint8Array) => {
      const request = sealRequestFor(doc, { signedAt: new Date() });
      return async () => {
        const r = await sealer.seal(request)();
        if (r._tag === 'Left') throw new Error(`${r.left.code} ${JSON.stringify(r.left.details)}`);
      };
    };
    console.log(
      `\nPAdES levels, TSA and OCSP responder on loopback (load average ${load()}); wall ms (CPU ms)\n`,
    );
    const rows: string[][] = [['document', 'B-B', 'B-LTA', 'B-LTA, OCSP each seal', 'B-LTA / B-B']];
    for (const [label, doc] of Object.entries(documents)) {
      const t = await compare({ bb: run(bb, doc), lta: run(lta, doc), uncached: run(ltaUncached, doc) });
      rows.push([
        label,
        cell(t.bb),
        cell(t.lta),
        cell(t.uncached),
        `${(t.lta.wall / t.bb.wall).toFixed(1)}× (${(t.lta.cpu / t.bb.cpu).toFixed(1)}×)`,
      ]);
    }
    for (const row of rows) console.log(row.map((c, i) => c.padEnd(i === 0 ? 10 : 24)).join(''));
    console.log(`load average after: ${load()}`);
  } finally {
    await trust.close();
  }
};

/**
 * One signer's seal beside three signers sealing in turn (each seal taking the previous output, the first laying
 * out the three fields): what a procedure with several signers costs the platform, and per signature.
 */
const signers = async (
  sealer: ReturnType<typeof makePadesDocumentSealer>,
  documents: Record<string, Uint8Array>,
  load: () => string,
): Promise<void> => {
  const one = (doc: Uint8Array) => {
    const request = sealRequestFor(doc);
    return async () => {
      const r = await sealer.seal(request)();
      if (r._tag === 'Left') throw new Error(r.left.code);
    };
  };
  const three = (doc: Uint8Array) => async () => {
    let current = doc;
    for (const position of [0, 1, 2]) {
      const r = await sealer.seal(sealRequestFor(current, { slot: { position, count: 3 } }))();
      if (r._tag === 'Left') throw new Error(r.left.code);
      current = r.right;
    }
  };
  console.log(`\nOne signer vs three signers in turn, B-B (load average ${load()}); wall ms (CPU ms)\n`);
  const rows: string[][] = [['document', '1 signer', '3 signers in turn', 'per signer of 3', '3 / 1']];
  for (const [label, doc] of Object.entries(documents)) {
    const t = await compare({ one: one(doc), three: three(doc) });
    rows.push([
      label,
      cell(t.one),
      cell(t.three),
      `${(t.three.wall / 3).toFixed(2)} (${(t.three.cpu / 3).toFixed(2)})`,
      `${(t.three.wall / t.one.wall).toFixed(1)}× (${(t.three.cpu / t.one.cpu).toFixed(1)}×)`,
    ]);
  }
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(i === 0 ? 10 : 22)).join(''));
  console.log(`load average after: ${load()}`);
};

const cell = (t: Timing) => `${t.wall.toFixed(2)} (${t.cpu.toFixed(2)})`;

// `--signers`: only the one-signer vs three-signers figure, without the slower baseline and levels.
const signersOnly = async (): Promise<void> => {
  const sealer = makePadesDocumentSealer({ identity: await generateDevelopmentSigningIdentity() });
  const documents = { '1 page': await onePagePdf(), '50 pages': await fiftyPagePdf() };
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`Node ${process.version}, ${cpus().length} CPUs; medians of ${ROUNDS * BLOCK} runs each`);
  await signers(sealer, documents, load);
};

const memoryArg = process.argv.indexOf('--memory');
await (memoryArg >= 0
  ? memoryChild(process.argv[memoryArg + 1]!)
  : process.argv.includes('--signers')
    ? signersOnly()
    : main());
