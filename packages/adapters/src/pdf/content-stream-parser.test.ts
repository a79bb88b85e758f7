import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

// @cantoo/pdf-lib 2.11.1 read a delimiter no operand parser takes (a stray ')', '>', '{', '}' or ']') as an empty
// operator without moving on, so parsing such a content stream never ended: one flipped byte in a quote's PDF froze
// the process at sealing time. patches/@cantoo__pdf-lib@2.11.1.patch consumes it as an operator of its own. The
// parse runs in a worker thread, so that a regression fails on a timeout instead of hanging the test run.
const pdfLib = createRequire(import.meta.url).resolve('@cantoo/pdf-lib');

const parseInWorker = (content: string, timeoutMs = 5_000): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const { parseContentStream } = require(workerData.pdfLib);
       parentPort.postMessage(parseContentStream(Buffer.from(workerData.content, 'latin1'))
         .map((op) => op.name));`,
      { eval: true, workerData: { pdfLib, content } },
    );
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`parsing ${JSON.stringify(content)} did not end within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once('message', (names) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(names);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });

describe('the content stream parser (patched @cantoo/pdf-lib)', () => {
  it.each([
    ['0 0 m ) 100 700 l S', ['m', ')', 'l', 'S']],
    ['BT > ET', ['BT', '>', 'ET']],
    ['q { } Q', ['q', '{', '}', 'Q']],
    ['] 1 w', [']', 'w']],
    ['[(a) } (b)] TJ', ['TJ']],
    ['[(a) > ] TJ 0 g', ['TJ', 'g']],
  ])('ends on the stray delimiter in %j, and keeps the operators around it', async (content, names) => {
    expect(await parseInWorker(content)).toStrictEqual(names);
  });
});
