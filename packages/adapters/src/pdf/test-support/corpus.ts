import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { degrees, PDFDocument, PDFName, StandardFonts } from 'pdf-lib';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../../../..');
/** Real PDFs from other producers, kept in the repository so that a clone alone passes the tests. */
export const samplesDir = join(here, 'pdf-samples');
export const artifactsDir = join(repoRoot, '.test-artifacts');

export interface CorpusEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Text expected on the first page after sealing, when known. */
  readonly firstPageText?: string;
}

export const realWorldSamples = (): ReadonlyArray<CorpusEntry> =>
  readdirSync(samplesDir)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(samplesDir, name))) }));

const A4: [number, number] = [595.28, 841.89];

const asPdf14 = (input: Uint8Array): Uint8Array => {
  const dir = mkdtempSync(join(tmpdir(), 'paraphe-pdf14-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), input);
    execFileSync('qpdf', ['--force-version=1.4', '--object-streams=disable', 'in.pdf', 'out.pdf'], {
      cwd: dir,
    });
    return new Uint8Array(readFileSync(join(dir, 'out.pdf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const textDocument = async (
  pages: number,
  linesPerPage: (page: number) => number,
  options: { readonly useObjectStreams: boolean; readonly rotate?: number },
): Promise<Uint8Array> => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage(A4);
    if (options.rotate !== undefined) page.setRotation(degrees(options.rotate));
    page.drawText(`Devis n° Q-2025-${p + 1} — page ${p + 1}`, { x: 50, y: 800, size: 14, font });
    for (let l = 0; l < linesPerPage(p); l++) {
      page.drawText(`Ligne ${l + 1} : prestation de conseil, quantité ${l + 1}, prix 120,00 €`, {
        x: 50,
        y: 770 - l * 14,
        size: 10,
        font,
      });
    }
  }
  return doc.save({ useObjectStreams: options.useObjectStreams });
};

/** Documents we generate to cover what the samples do not. */
export const generatedSamples = async (): Promise<ReadonlyArray<CorpusEntry>> => [
  {
    name: 'generated-pdf-lib-object-streams.pdf',
    bytes: await textDocument(1, () => 5, { useObjectStreams: true }),
    firstPageText: 'Devis n° Q-2025-1',
  },
  {
    name: 'generated-pdf-lib-classic-xref.pdf',
    bytes: await textDocument(2, () => 10, { useObjectStreams: false }),
    firstPageText: 'Devis n° Q-2025-1',
  },
  { name: 'generated-50-pages.pdf', bytes: await fiftyPagePdf(), firstPageText: 'Devis n° Q-2025-1' },
  {
    name: 'generated-full-to-bottom.pdf',
    bytes: await textDocument(1, () => 55, { useObjectStreams: true }),
    firstPageText: 'Devis n° Q-2025-1',
  },
  {
    // A PDF 1.4 file (classic cross-reference table, no object streams), written by qpdf from the Ghostscript sample.
    name: 'qpdf-pdf-1.4-from-ghostscript.pdf',
    bytes: asPdf14(readFileSync(join(samplesDir, 'ghostscript-offer-3-pages.pdf'))),
  },
  {
    name: 'generated-rotated.pdf',
    bytes: await textDocument(1, () => 3, { useObjectStreams: false, rotate: 90 }),
  },
];

export const onePagePdf = (): Promise<Uint8Array> => textDocument(1, () => 20, { useObjectStreams: true });
export const fiftyPagePdf = (): Promise<Uint8Array> => textDocument(50, () => 40, { useObjectStreams: true });

/** A one-page PDF made heavy by an uncompressed image of about `bytes` bytes, as scans are. */
export const largePdf = async (bytes: number): Promise<Uint8Array> => {
  const doc = await PDFDocument.create();
  const side = Math.floor(Math.sqrt(bytes / 3));
  const pixels = new Uint8Array(side * side * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  const image = doc.context.register(
    doc.context.stream(pixels, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: side,
      Height: side,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    }),
  );
  const page = doc.addPage(A4);
  page.node.setXObject(PDFName.of('Im1'), image);
  const content = doc.context.register(doc.context.stream('q 500 0 0 700 50 100 cm /Im1 Do Q'));
  page.node.addContentStream(content);
  return doc.save({ useObjectStreams: false });
};
