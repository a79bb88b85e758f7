import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { INK_SCAN_BUDGET } from './ink-bounds.js';
import { anyContent, wellFormedPage } from './test-support/content-stream-arbitraries.js';
import { generatedSamples, realWorldSamples, repoRoot } from './test-support/corpus.js';
import { inWorker } from './test-support/in-worker.js';
import type * as Entry from './test-support/ink-scan-entry.js';
import type { PageSpec } from './test-support/ink-scan-entry.js';

// Everything runs in a worker thread, so that an input that never ends fails on a timeout.
const worker = inWorker<typeof Entry>(
  fileURLToPath(new URL('./test-support/ink-scan-entry.ts', import.meta.url)),
);
afterAll(() => worker.close());
const ours = async (spec: PageSpec, limits = INK_SCAN_BUDGET): Promise<number> =>
  (await worker.call('ours', [spec, limits], 20_000)).lowest;
const runs = (local: number) => ({ numRuns: process.env.CI === 'true' ? 1_000 : local });

describe('lowestInk agrees with the pdf-lib parser it replaced, on well-formed pages', () => {
  it('on every page of the real-world and generated samples', async () => {
    for (const sample of [...realWorldSamples(), ...(await generatedSamples())]) {
      const pages = await worker.call('bothOnEveryPage', [sample.bytes], 20_000);
      for (const [i, [found, reference]] of pages.entries())
        expect(found, `${sample.name} p${i + 1}`).toBe(reference);
    }
  });

  it('on generated pages: text, paths, marked content, images and nested forms, compressed or not', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormedPage, async (spec) => {
        const [found, reference] = await worker.call('both', [spec], 20_000);
        expect(found).toBe(reference);
      }),
      runs(300),
    );
  });

  it('on pinned pages', async () => {
    expect(await ours({ content: '' })).toBe(Number.POSITIVE_INFINITY);
    expect(await ours({ content: 'BT /F1 12 Tf 72 700 Td (Total) Tj ET' })).toBe(700 - 0.3 * 12);
    expect(await ours({ content: '0 0 595 842 re f 50 100 m 100 100 l S' })).toBe(100);
    expect(
      await ours({ content: 'q 100 0 0 50 20 30 cm /Im1 Do Q', xobjects: { Im1: { kind: 'image' } } }),
    ).toBe(30);
  });
});

describe('lowestInk calls a page full when it cannot read it with certainty', () => {
  const full = Number.NEGATIVE_INFINITY;
  const HUGE = '3'.padEnd(39, '0'); // 3e38, within the range of reals a reader must take

  it.each([
    ['a stray delimiter', '0 0 m ) 100 700 l S'],
    ['an unterminated string', 'BT (Total Tj ET'],
    ['an operator with operands of the wrong shape', 'BT /F1 12 Tf (x) 700 Td (Total) Tj ET'],
    ['an operator missing an operand', '100 l S'],
    ['a painting operator with an operand', '0 0 m 10 10 l 1 S'],
    ['an inline image', 'q 10 0 0 10 300 700 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q'],
    ['a shading', '/Sh1 sh'],
    ['coordinates that overflow', `${HUGE} 0 0 ${HUGE} 0 0 cm `.repeat(9).concat('0 0 m S')],
    ['too many saved states', `${'q '.repeat(300)}0 700 m 1 700 l S`],
  ])('%s', async (_, content) => {
    expect(await ours({ content })).toBe(full);
  });

  it('a form drawing a malformed stream', async () => {
    const xobjects = { Fm1: { kind: 'form', content: 'BT > ET' } } as const;
    expect(await ours({ content: '/Fm1 Do', xobjects })).toBe(full);
  });

  it('streams it cannot decode, and streams past its byte or operator budget', async () => {
    expect(await ours({ content: new Uint8Array([1, 2, 3]), filter: 'DCTDecode' })).toBe(full);
    expect(await ours({ content: new Uint8Array([0x78, 0x9c, 1, 2]), filter: 'FlateDecode' })).toBe(full);
    // 14 bytes once a newline is added after the stream, 3 operators.
    const content = '0 0 m 1 1 l S';
    expect(await ours({ content }, { bytes: 14, operators: 3 })).toBe(0);
    expect(await ours({ content }, { bytes: 13, operators: 3 })).toBe(full);
    expect(await ours({ content }, { bytes: 14, operators: 2 })).toBe(full);
  });

  it('a compressed stream that inflates past the budget, without inflating it whole', async () => {
    // 256 MB of spaces in a quarter of a megabyte (a thousand times more fits in a 25 MB document).
    const content = deflateSync(Buffer.alloc(256 * 1024 * 1024, 0x20));
    const { lowest, ms } = await worker.call(
      'ours',
      [{ content, filter: 'FlateDecode' }, INK_SCAN_BUDGET],
      20_000,
    );
    expect(lowest).toBe(full);
    expect(ms).toBeLessThan(2_000);
  });

  it('a form drawing itself a thousand times at each of eight levels, within the budget', async () => {
    const xobjects = { Fm1: { kind: 'form', content: '/Fm1 Do\n'.repeat(1000) } } as const;
    const { lowest, ms } = await worker.call(
      'ours',
      [{ content: '/Fm1 Do', xobjects }, INK_SCAN_BUDGET],
      20_000,
    );
    expect(lowest).toBe(full);
    expect(ms).toBeLessThan(5_000);
  });
});

describe('lowestInk on any content (in a worker thread)', () => {
  it('ends, in time linear in the bytes read, and answers a number', async () => {
    await fc.assert(
      fc.asyncProperty(anyContent, fc.boolean(), async (content, compressed) => {
        const xobjects = { Fm0: { kind: 'form', content: '/Fm0 Do /Fm0 Do 0 0 m 1 1 l S' } } as const;
        const { lowest } = await worker.call(
          'ours',
          [{ content, compressed, xobjects }, INK_SCAN_BUDGET],
          10_000,
        );
        expect(typeof lowest).toBe('number');
      }),
      runs(300),
    );
  });

  it('reads a full budget of ink operators in bounded time', async () => {
    // A newline is added after the stream: one byte less, so that the byte budget does not end the scan.
    const content = '0 0 m 10 10 l S\n'.repeat(Math.floor((INK_SCAN_BUDGET.bytes - 1) / 16));
    const { lowest, ms } = await worker.call('ours', [{ content }, INK_SCAN_BUDGET], 20_000);
    expect(lowest).toBe(Number.NEGATIVE_INFINITY); // the operator budget runs out first
    expect(ms).toBeLessThan(5_000);
  });
});

// pdf-lib's own parser, with a small heap: it grows its list of operations until it dies or is ended.
const libraryParseEnds = (content: string, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    const pdfLib = createRequire(import.meta.url).resolve('@cantoo/pdf-lib');
    const parser = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const { parseContentStream } = require(workerData.pdfLib);
       parentPort.postMessage(parseContentStream(Buffer.from(workerData.content, 'latin1')).length);`,
      { eval: true, workerData: { pdfLib, content }, resourceLimits: { maxOldGenerationSizeMb: 64 } },
    );
    const timer = setTimeout(() => void parser.terminate().then(() => resolve(false)), timeoutMs);
    parser.once('message', () => {
      clearTimeout(timer);
      void parser.terminate().then(() => resolve(true));
    });
    parser.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });

describe('the published packages do not depend on the workspace', () => {
  // pnpm patches apply inside this workspace only: a CRM installing our packages gets pdf-lib unpatched,
  // and so do these tests since the patch was dropped.
  it('pdf-lib as installed still never ends on a stray delimiter; our scan of the same page does', async () => {
    expect(await libraryParseEnds('0 0 m 100 700 l S', 5_000)).toBe(true);
    expect(await libraryParseEnds('0 0 m ) 100 700 l S', 2_000)).toBe(false);
    expect(await ours({ content: '0 0 m ) 100 700 l S' })).toBe(Number.NEGATIVE_INFINITY);
  });

  it("no runtime source uses pdf-lib's content stream parser, which may never end", () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? e.name === 'node_modules' || e.name === 'test-support'
            ? []
            : sources(join(dir, e.name))
          : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
            ? [join(dir, e.name)]
            : [],
      );
    const offenders = readdirSync(join(repoRoot, 'packages'))
      .flatMap((p) => sources(join(repoRoot, 'packages', p, 'src')))
      .filter((f) => /parseContentStream|ContentStreamParser/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
