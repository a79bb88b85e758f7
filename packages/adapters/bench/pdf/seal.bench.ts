// Sealing benchmark: our sealer vs @signpdf (baseline) vs the floor (load + save + one signature + hash).
// Run: cd /work/main && npx tsx --conditions=@paraphe/source packages/adapters/bench/pdf/seal.bench.ts
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument as CantooDocument, ParseSpeeds } from '@cantoo/pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { generateDevelopmentSigningIdentity } from '../../src/pdf/development-identity.js';
import { makePadesDocumentSealer } from '../../src/pdf/pades-document-sealer.js';
import { fiftyPagePdf, largePdf, onePagePdf } from '../../src/pdf/test-support/corpus.js';
import { sealRequestFor } from '../../src/pdf/test-support/seal-request.js';

const WARMUP = 10;
const RUNS = 40;

const median = async (run: () => Promise<unknown>): Promise<number> => {
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
};

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

  const ours = (doc: Uint8Array) => async () => {
    const r = await sealer.seal(sealRequestFor(doc))();
    if (r._tag === 'Left') throw new Error(r.left.code);
  };
  const baseline = (doc: Uint8Array) => async () => {
    const pdfDoc = await PDFDocument.load(doc);
    pdflibAddPlaceholder({ pdfDoc, reason: 'bench', contactInfo: 'bench', name: 'bench', location: 'bench' });
    const withPlaceholder = Buffer.from(await pdfDoc.save({ useObjectStreams: false }));
    // A P12Signer signs only once, so each run needs its own.
    await new SignPdf().sign(withPlaceholder, new P12Signer(p12, { passphrase: 'bench' }));
  };
  const floor = (doc: Uint8Array) => async () => {
    const pdf = await CantooDocument.load(doc, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
    const saved = await pdf.save({ objectsPerTick: Number.POSITIVE_INFINITY });
    createHash('sha256').update(saved).digest();
    sign('sha256', Buffer.from('floor'), key);
  };

  const rows: string[][] = [
    ['document', 'ours (ms)', '@signpdf baseline (ms)', 'floor (ms)', 'baseline / ours'],
  ];
  for (const [label, doc] of Object.entries(documents)) {
    const o = await median(ours(doc));
    const b = await median(baseline(doc));
    const f = await median(floor(doc));
    rows.push([label, o.toFixed(2), b.toFixed(2), f.toFixed(2), `${(b / o).toFixed(1)}×`]);
  }
  console.log(`median of ${RUNS} runs after ${WARMUP} warm-up runs, Node ${process.version}\n`);
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(i === 0 ? 10 : 24)).join(''));

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
      `= ${(delta / size).toFixed(2)}× the document size (target < 4×)`,
  );
};

const memoryArg = process.argv.indexOf('--memory');
await (memoryArg >= 0 ? memoryChild(process.argv[memoryArg + 1]!) : main());
