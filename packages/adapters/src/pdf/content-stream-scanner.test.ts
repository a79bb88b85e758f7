import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type Operand, type ScanBudget, scanContentStream } from './content-stream-scanner.js';
import { anyContent } from './test-support/content-stream-arbitraries.js';
import { inWorker } from './test-support/in-worker.js';
import type * as Entry from './test-support/ink-scan-entry.js';

const bytes = (content: string): Uint8Array => new Uint8Array(Buffer.from(content, 'latin1'));
const roomy = (): ScanBudget => ({ bytes: 1 << 20, operators: 1 << 20 });

const operations = (content: string) => {
  const ops: Array<{ op: string; operands: ReadonlyArray<Operand>; count: number }> = [];
  const outcome = scanContentStream(bytes(content), roomy(), (op, operands, count) => {
    ops.push({ op, operands: [...operands], count });
    return op !== 'BI';
  });
  return { outcome, ops };
};

describe('scanContentStream', () => {
  it('hands over each operator with its operands', () => {
    expect(operations('BT /F1 12 Tf 72 700.5 Td (Hello) Tj ET')).toEqual({
      outcome: 'complete',
      ops: [
        { op: 'BT', operands: [], count: 0 },
        {
          op: 'Tf',
          operands: [
            { kind: 'name', start: 4, end: 6 },
            { kind: 'number', value: 12 },
          ],
          count: 2,
        },
        {
          op: 'Td',
          operands: [
            { kind: 'number', value: 72 },
            { kind: 'number', value: 700.5 },
          ],
          count: 2,
        },
        { op: 'Tj', operands: [{ kind: 'string', bytes: 5 }], count: 1 },
        { op: 'ET', operands: [], count: 0 },
      ],
    });
  });

  it.each([
    ['(a(b)c\\)d\\\n e) Tj', { kind: 'string', bytes: 9 }],
    ['(\\0534\\9) Tj', { kind: 'string', bytes: 3 }],
    ['<41 42 4> Tj', { kind: 'string', bytes: 3 }],
    ['[(a)-20(b\\051)<4142>[(c)] <</A (dd)>>] TJ', { kind: 'array', bytes: 6 }],
    ['<</MCID 0 /Alt [(a) 1] /B <</C true>>>> BDC', { kind: 'other' }],
  ])('counts the text bytes of %j', (content, operand) => {
    expect(operations(content).ops[0]?.operands.at(-1)).toEqual(operand);
  });

  it('keeps the first operands of a long list and counts them all', () => {
    const { ops } = operations('1 2 3 4 5 6 7 8 9 10 true null sc');
    expect(ops[0]?.count).toBe(12);
    expect(ops[0]?.operands.map((o) => (o.kind === 'number' ? o.value : o.kind))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('skips comments, and stops at BI without reading the image data', () => {
    expect(operations('% (unterminated\n1 w').ops.map((o) => o.op)).toEqual(['w']);
    expect(operations('q BI /W 1 ID \xff)]} EI Q')).toMatchObject({
      outcome: 'stopped',
      ops: [{ op: 'q' }, { op: 'BI' }],
    });
  });

  // The first six froze @cantoo/pdf-lib 2.11.1's parser (heap exhaustion after ~40 s for the first).
  it.each([
    '0 0 m ) 100 700 l S',
    'BT > ET',
    'q { } Q',
    '] 1 w',
    '[(a) } (b)] TJ',
    '[(a) > ] TJ 0 g',
    '(unterminated Tj',
    '<41 Tj',
    '<4G> Tj',
    '[1 2 TJ',
    '<< /A 1 BDC',
    '<< /A 1 ] BDC',
    '[ 1 w ] TJ',
    '1.2.3 w',
    '--5 w',
    '. w',
    '1e5 w',
    `${'9'.repeat(400)} w`,
    '['.repeat(33),
  ])('calls %j malformed', (content) => {
    expect(operations(content).outcome).toBe('malformed');
  });

  it('stops past its byte or operator budget, which is shared by every stream of a page', () => {
    const budget = { bytes: 10, operators: 100 };
    expect(scanContentStream(bytes('0 0 m'), budget, () => true)).toBe('complete');
    expect(budget.bytes).toBe(5);
    expect(scanContentStream(bytes('0 0 m S'), budget, () => true)).toBe('over-budget');
    expect(scanContentStream(bytes('n n n'), { bytes: 100, operators: 2 }, () => true)).toBe('over-budget');
  });
});

describe('scanContentStream on any bytes (in a worker thread: a hang fails on a timeout)', () => {
  const worker = inWorker<typeof Entry>(
    fileURLToPath(new URL('./test-support/ink-scan-entry.ts', import.meta.url)),
  );
  afterAll(() => worker.close());

  it('ends with an outcome, having moved forward at every operator', async () => {
    await fc.assert(
      fc.asyncProperty(anyContent, async (content) => {
        const { outcome, operators } = await worker.call('scan', [content], 10_000);
        expect(['complete', 'stopped', 'malformed', 'over-budget']).toContain(outcome);
        expect(operators).toBeLessThanOrEqual(content.length);
      }),
      { numRuns: process.env.CI === 'true' ? 1_000 : 300 },
    );
  });

  it('reads a full budget of the worst inputs in linear time', async () => {
    const size = 8 * 1024 * 1024;
    const cases: ReadonlyArray<readonly [string, Uint8Array]> = [
      ['path operators', bytes('0 0 m '.repeat(size / 6))],
      ['one number', new Uint8Array(size).fill(0x39)],
      ['one unterminated string', new Uint8Array(size).fill(0x28)],
      ['one name', bytes(`/${'a'.repeat(size - 1)}`)],
      ['one long word', new Uint8Array(size).fill(0x61)],
      ['whitespace', new Uint8Array(size).fill(0x20)],
      ['comments', bytes('%\n'.repeat(size / 2))],
    ];
    for (const [label, content] of cases) {
      const { ms } = await worker.call('scan', [content, { bytes: size, operators: size }], 20_000);
      expect(ms, label).toBeLessThan(5_000);
    }
  });
});
