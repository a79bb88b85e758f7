import { fileURLToPath } from 'node:url';
import { PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { realWorldSamples } from './test-support/corpus.js';
import { inWorker } from './test-support/in-worker.js';
import type * as Entry from './test-support/ink-scan-entry.js';
import { pageCountByPoppler, pdfsig, qpdfCheck, tempDir, writeTemp } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';

const tools = requireTools('pdfsig', 'qpdf', 'pdfinfo');

/** The document with one more content stream on its last page, compressed or not. */
const withContentOnLastPage = async (pdf: Uint8Array, content: string, compressed: boolean) => {
  const doc = await PDFDocument.load(pdf);
  const stream = compressed ? doc.context.flateStream(content) : doc.context.stream(content);
  doc.getPage(doc.getPageCount() - 1).node.addContentStream(doc.context.register(stream));
  return doc.save({ useObjectStreams: false });
};

const onePageWith = async (content: string): Promise<Uint8Array> => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(content)));
  return doc.save({ useObjectStreams: false });
};

// Sealing runs in a worker thread: before issue #14 these documents made it loop until the heap ran out.
describe.skipIf(!tools)('sealing a document whose last page has a stray delimiter', () => {
  const worker = inWorker<typeof Entry>(
    fileURLToPath(new URL('./test-support/ink-scan-entry.ts', import.meta.url)),
  );
  afterAll(() => worker.close());
  const dir = tempDir('paraphe-stray-');
  const quote = realWorldSamples().find((s) => s.name === 'libreoffice-quote-en.pdf')!.bytes;

  it.each([
    ['a blank page', () => onePageWith('0 0 m ) 100 700 l S')],
    ['a blank page, other delimiters', () => onePageWith('BT > ET q { } Q [(a) } (b)] TJ ] 1 w')],
    ['a LibreOffice quote', () => withContentOnLastPage(quote, '0 0 m ) 100 700 l S', false)],
    ['a LibreOffice quote, compressed stream', () => withContentOnLastPage(quote, 'q ) Q', true)],
  ])('%s: sealed in bounded time, on a page of its own, valid for pdfsig', async (label, make) => {
    const original = await make();
    const { sealed, code, ms } = await worker.call('seal', [original], 30_000);
    expect(code).toBeUndefined();
    const path = writeTemp(dir, `${label.replace(/\W+/g, '-')}.pdf`, sealed!);
    const signatures = pdfsig(path);
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ valid: true, totalDocumentSigned: true });
    // qpdf warns about the stray delimiters of the original content, and about nothing else.
    const qpdf = qpdfCheck(path).out;
    expect(qpdf).toMatch(/operation succeeded/);
    for (const warning of qpdf.split('\n').filter((line) => line.startsWith('WARNING')))
      expect(warning).toMatch(/\(content, offset \d+\): /);
    // The stamp cannot know where that page's ink is: it goes on an appended page.
    const before = (await PDFDocument.load(original)).getPageCount();
    expect(pageCountByPoppler(path)).toBe(before + 1);
    expect(ms).toBeLessThan(10_000);
  });
});
