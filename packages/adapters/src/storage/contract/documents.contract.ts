import { sha256Hex } from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import { expect, it } from 'vitest';
import type { StorageUnderTest } from '../storage.contract.js';
import { runRight } from '../test-support/run-work.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

export const documentsContract = (storage: StorageUnderTest): void => {
  it('stores bytes per procedure and kind; missing → None', async () => {
    const original = bytes(0x25, 0x50, 0x44, 0x46, 0x00, 0xff);
    await runRight(storage(), (s) => s.documents.put('p-1', 'original', original));
    expect(await runRight(storage(), (s) => s.documents.get('p-1', 'original'))).toStrictEqual(
      O.some(original),
    );
    expect(await runRight(storage(), (s) => s.documents.get('p-1', 'signed'))).toStrictEqual(O.none);
    expect(await runRight(storage(), (s) => s.documents.get('p-2', 'original'))).toStrictEqual(O.none);
  });

  it('replaces the bytes when the same key is written again', async () => {
    await runRight(storage(), (s) => s.documents.put('p-1', 'certificate', bytes(1, 2, 3)));
    await runRight(storage(), (s) => s.documents.put('p-1', 'certificate', bytes(4)));
    expect(await runRight(storage(), (s) => s.documents.get('p-1', 'certificate'))).toStrictEqual(
      O.some(bytes(4)),
    );
  });

  it('keeps what was stored even when the caller reuses its buffer', async () => {
    const buffer = bytes(1, 2, 3);
    await runRight(storage(), (s) => s.documents.put('p-1', 'signed', buffer));
    buffer[0] = 9;
    const read = await runRight(storage(), (s) => s.documents.get('p-1', 'signed'));
    if (O.isSome(read)) read.value[1] = 9;
    expect(await runRight(storage(), (s) => s.documents.get('p-1', 'signed'))).toStrictEqual(
      O.some(bytes(1, 2, 3)),
    );
  });

  it('stores an empty document and a large one', async () => {
    const large = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    await runRight(storage(), (s) => s.documents.put('p-1', 'original', new Uint8Array(0)));
    await runRight(storage(), (s) => s.documents.put('p-2', 'original', large));
    expect(await runRight(storage(), (s) => s.documents.get('p-1', 'original'))).toStrictEqual(
      O.some(new Uint8Array(0)),
    );
    const read = await runRight(storage(), (s) => s.documents.get('p-2', 'original'));
    // Compared by digest: a deep equality over megabytes takes seconds.
    expect(O.map((b: Uint8Array) => [b.constructor.name, sha256Hex(b)])(read)).toStrictEqual(
      O.some(['Uint8Array', sha256Hex(large)]),
    );
  });
};
