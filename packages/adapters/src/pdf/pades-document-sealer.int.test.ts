import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DevelopmentSigningIdentity,
  generateDevelopmentSigningIdentity,
} from './development-identity.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { artifactsDir, type CorpusEntry, generatedSamples, realWorldSamples } from './test-support/corpus.js';
import {
  nssDatabaseTrusting,
  pageCountByPoppler,
  pdfsig,
  pdftoppm,
  pdftotext,
  qpdfCheck,
  tempDir,
  writeTemp,
} from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

const tools = requireTools('pdfsig', 'qpdf', 'pdftoppm', 'pdftotext', 'pdfinfo', 'certutil');

const unwrap = async <A>(
  task: () => Promise<{ _tag: 'Left'; left: unknown } | { _tag: 'Right'; right: A }>,
) => {
  const result = await task();
  if (result._tag === 'Left') throw new Error(JSON.stringify(result.left));
  return result.right;
};

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

describe.skipIf(!tools)('PAdES sealer on the corpus (poppler, qpdf, NSS)', () => {
  let identity: DevelopmentSigningIdentity;
  let secondIdentity: DevelopmentSigningIdentity;
  let nssDir: string;
  let corpus: ReadonlyArray<CorpusEntry>;
  const dir = tempDir();

  beforeAll(async () => {
    identity = await generateDevelopmentSigningIdentity();
    secondIdentity = await generateDevelopmentSigningIdentity({
      keyAlgorithm: 'ecdsa-p256',
      commonName: 'Second',
    });
    nssDir = nssDatabaseTrusting(identity.rootCertificatePem, secondIdentity.rootCertificatePem);
    corpus = [...realWorldSamples(), ...(await generatedSamples())];
    mkdirSync(join(artifactsDir, 'sealed'), { recursive: true });
  });

  const expectSealedWell = (
    name: string,
    original: Uint8Array,
    sealed: Uint8Array,
    signaturesBefore: number,
  ) => {
    expect(Buffer.from(sealed.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const path = writeTemp(dir, name, sealed);
    const signatures = pdfsig(path, nssDir);
    expect(signatures).toHaveLength(signaturesBefore + 1);
    for (const s of signatures) expect(s.validation).toMatch(/^Signature is Valid/);
    expect(signatures.at(-1)?.totalDocumentSigned).toBe(true);
    expect(signatures.filter((s) => s.totalDocumentSigned)).toHaveLength(1);
    expect(signatures.at(-1)?.certificate).toMatch(/^Certificate is Trusted/);
    expect(qpdfCheck(path).ok).toBe(true);
    const pages = pageCountByPoppler(path);
    expect(pdftoppm(path, join(dir, `${name}-render`), 20)).toBe(pages);
    return { path, pages };
  };

  it('has a corpus from PDF 1.4 to 1.7', () => {
    const versions = new Set(corpus.map((e) => Buffer.from(e.bytes.subarray(0, 8)).toString('latin1')));
    expect([...versions].sort()).toEqual(['%PDF-1.4', '%PDF-1.5', '%PDF-1.6', '%PDF-1.7']);
  });

  it('seals every sample and every generated document so that validators accept it', async () => {
    const sealer = makePadesDocumentSealer({ identity });
    for (const entry of corpus) {
      const originalPath = writeTemp(dir, `original-${entry.name}`, entry.bytes);
      const before = pdfsig(originalPath).length;
      const sealed = await unwrap(sealer.seal(sealRequestFor(entry.bytes)));
      const { path, pages } = expectSealedWell(entry.name, entry.bytes, sealed, before);
      writeTemp(join(artifactsDir, 'sealed'), entry.name, sealed);

      expect(normalise(pdftotext(path, 1)), entry.name).toContain(normalise(pdftotext(originalPath, 1)));
      if (entry.firstPageText !== undefined) expect(pdftotext(path, 1)).toContain(entry.firstPageText);
      expect(pdftotext(path, pages), entry.name).toContain('Lefèvre');
      expect(pdftotext(path, pages), entry.name).toContain('Signé électroniquement par');
      const report = await verifySignedPdf(sealed, {
        originalSha256: sealRequestFor(entry.bytes).originalSha256,
      });
      expect(report.valid, entry.name).toBe(true);
      expect(report.originalMatches).toBe(true);
    }
  });

  // With the same certificate twice, poppler 22 reports the second one as "Unknown issue with Certificate"
  // (a quirk of its NSS import) while both signatures are valid: so the second seal uses another identity.
  it('keeps both signatures valid when our own output is sealed again', async () => {
    const sealer = makePadesDocumentSealer({ identity });
    const second = makePadesDocumentSealer({ identity: secondIdentity });
    for (const entry of corpus) {
      const once = await unwrap(sealer.seal(sealRequestFor(entry.bytes)));
      const twice = await unwrap(
        second.seal(sealRequestFor(once, { signerName: 'Second Signer', language: 'en' })),
      );
      const before = pdfsig(writeTemp(dir, `once-${entry.name}`, once)).length;
      const { path, pages } = expectSealedWell(`twice-${entry.name}`, once, twice, before);
      expect(pdftotext(path, pages)).toContain('Electronically signed by Second Signer');
      expect((await verifySignedPdf(twice)).signatures.every((s) => s.cryptographicallyValid)).toBe(true);
    }
  });

  it('draws the stamp on the last page when it has room, and on an added page otherwise', async () => {
    const sealer = makePadesDocumentSealer({ identity });
    const byName = new Map(corpus.map((e) => [e.name, e.bytes]));
    const pagesAfter = async (name: string) => {
      const sealed = await unwrap(sealer.seal(sealRequestFor(byName.get(name)!)));
      return (await PDFDocument.load(sealed)).getPageCount();
    };
    expect(await pagesAfter('generated-pdf-lib-object-streams.pdf')).toBe(1);
    expect(await pagesAfter('generated-full-to-bottom.pdf')).toBe(2);
    expect(await pagesAfter('generated-rotated.pdf')).toBe(2);
  });
});
