import { PDFDocument } from '@cantoo/pdf-lib';
import type { DocumentSealer, SealingError } from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from './development-identity.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { PRINT_LIMITS } from './print-limits.js';
import { findSignatures } from './signature-scan.js';
import { stampLines } from './stamp.js';
import { onePagePdf, realWorldSamples } from './test-support/corpus.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

const codeOf = (result: E.Either<SealingError, unknown>): string =>
  E.isLeft(result) ? result.left.code : 'OK';

const encryptedPdf = async (): Promise<Uint8Array> => {
  const doc = await PDFDocument.create();
  doc.addPage();
  doc.encrypt({ userPassword: 'secret', ownerPassword: 'owner' });
  return doc.save();
};

describe('makePadesDocumentSealer', () => {
  let sealer: DocumentSealer;
  let onePage: Uint8Array;

  beforeAll(async () => {
    sealer = makePadesDocumentSealer({
      identity: await generateDevelopmentSigningIdentity(),
      maxDocumentBytes: 2_000_000,
    });
    onePage = await onePagePdf();
  });

  it('inspects a readable document', async () => {
    expect(await sealer.inspect(onePage)()).toEqual(E.right({ pageCount: 1 }));
    for (const sample of realWorldSamples())
      expect(E.isRight(await sealer.inspect(sample.bytes)())).toBe(true);
  });

  it('types every kind of bad input, from inspect and from seal', async () => {
    const cases: ReadonlyArray<[string, Uint8Array, string]> = [
      ['empty', new Uint8Array(), 'DOCUMENT_UNREADABLE'],
      ['not a PDF', new TextEncoder().encode('hello, this is a text file'), 'DOCUMENT_UNREADABLE'],
      ['header only', new TextEncoder().encode('%PDF-1.7\n'), 'DOCUMENT_UNREADABLE'],
      ['truncated', onePage.subarray(0, Math.floor(onePage.length * 0.7)), 'DOCUMENT_UNREADABLE'],
      ['encrypted', await encryptedPdf(), 'DOCUMENT_ENCRYPTED'],
      ['too large', new Uint8Array(2_000_001), 'DOCUMENT_TOO_LARGE'],
    ];
    for (const [label, bytes, code] of cases) {
      expect(codeOf(await sealer.inspect(bytes)()), label).toBe(code);
      const sealed = await sealer.seal(sealRequestFor(bytes))();
      expect(codeOf(sealed), label).toBe(code);
      // The document's own problem: sealing it again will never do.
      expect(E.isLeft(sealed) && sealed.left).toMatchObject({ _tag: 'SealingError', retryable: false });
    }
  });

  it('says a seal refused because its timestamp authority did not answer may be tried again', async () => {
    const withDeadTsa = makePadesDocumentSealer({
      identity: await generateDevelopmentSigningIdentity(),
      // Nothing listens on the discard port of loopback: the connection is refused at once.
      timestampAuthority: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 2_000 },
    });
    const sealed = await withDeadTsa.seal(sealRequestFor(onePage))();
    expect(E.isLeft(sealed) && sealed.left).toMatchObject({
      _tag: 'SealingError',
      code: 'SEALING_FAILURE',
      retryable: true,
    });
  });

  it('refuses an unknown time zone with a typed error', async () => {
    const result = await sealer.seal(sealRequestFor(onePage, { timeZone: 'Mars/Olympus' }))();
    expect(codeOf(result)).toBe('INVALID_INPUT');
  });

  it('never throws on random bytes, with or without a PDF header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), async (bytes, withHeader) => {
        const input = withHeader
          ? new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), ...bytes])
          : bytes;
        const result = await sealer.inspect(input)();
        expect(E.isLeft(result) || result.right.pageCount >= 1).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('seals a page whose content stream holds stray delimiters (a byte flip once froze the process here)', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    page.node.addContentStream(
      doc.context.register(doc.context.stream('0 0 m ) 100 700 l S q { } Q [(a) > ] TJ ] 1 w')),
    );
    const result = await sealer.seal(sealRequestFor(await doc.save({ useObjectStreams: false })))();
    expect(codeOf(result)).toBe('OK');
  });

  it('never throws on truncations and byte flips of real PDFs', async () => {
    const samples = [onePage, ...realWorldSamples().map((s) => s.bytes)];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 255 }),
        async (sample, at, value) => {
          const cut = Math.floor(sample.length * at);
          const flipped = sample.slice();
          flipped[cut] = value;
          for (const input of [sample.subarray(0, cut), flipped]) {
            const inspected = await sealer.inspect(input)();
            const sealed = await sealer.seal(sealRequestFor(input))();
            expect(typeof codeOf(inspected)).toBe('string');
            expect(typeof codeOf(sealed)).toBe('string');
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('appends an update: original prefix, fresh object numbers, byte range to end of file', async () => {
    for (const original of [onePage, ...realWorldSamples().map((s) => s.bytes)]) {
      const result = await sealer.seal(sealRequestFor(original))();
      if (E.isLeft(result)) throw new Error(result.left.code);
      const sealed = result.right;
      expect(Buffer.from(sealed.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
      const increment = Buffer.from(sealed.subarray(original.length)).toString('latin1');
      const previousSize = Math.max(
        ...[
          ...Buffer.from(original)
            .toString('latin1')
            .matchAll(/\/Size\s+(\d+)/g),
        ].map((m) => Number(m[1])),
      );
      const newObjects = [...increment.matchAll(/^(\d+) 0 obj/gm)].map((m) => Number(m[1]));
      const existing = new Set(
        (await PDFDocument.load(original)).context
          .enumerateIndirectObjects()
          .map(([ref]) => ref.objectNumber),
      );
      const created = newObjects.filter((n) => !existing.has(n));
      expect(created.length).toBeGreaterThan(0);
      for (const n of created) expect(n).toBeGreaterThanOrEqual(previousSize);
      expect(increment).not.toMatch(/\/Type\s*\/ObjStm/);
      const last = findSignatures(sealed).at(-1);
      expect(last?.byteRange[0]).toBe(0);
      expect((last?.byteRange[2] ?? 0) + (last?.byteRange[3] ?? 0)).toBe(sealed.length);
    }
  });

  it('prints the first PRINT_LIMITS.name characters of an 8,000-character name, on the stamp and in /Name', async () => {
    const name = 'Łukasiewicz-Marie-Hélène-'.repeat(320);
    const request = sealRequestFor(onePage, { signerName: name });
    const printed = `${name.slice(0, PRINT_LIMITS.name)}…`;
    expect(stampLines(request).slice(0, 2)).toStrictEqual([printed, `Signé électroniquement par ${printed}`]);
    const result = await sealer.seal(request)();
    if (E.isLeft(result)) throw new Error(result.left.code);
    const report = await verifySignedPdf(result.right);
    expect(report.valid).toBe(true);
    expect(report.signatures[0]?.signerName).toBe(printed);
  });

  it('seals the same request to the same bytes', async () => {
    const a = await sealer.seal(sealRequestFor(onePage))();
    const b = await sealer.seal(sealRequestFor(onePage))();
    expect(E.isRight(a) && E.isRight(b) && Buffer.from(a.right).equals(Buffer.from(b.right))).toBe(true);
  });
});
