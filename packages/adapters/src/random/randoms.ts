import { createHash, randomBytes } from 'node:crypto';
import type { Random } from '@paraphe/domain';

export const makeCryptoRandom = (): Random => ({ bytes: (length) => new Uint8Array(randomBytes(length)) });

/** Reproducible bytes for tests and demos: SHA-256 in counter mode over the seed. Never for production. */
export const makeSeededRandom = (seed: string | number): Random => {
  let counter = 0;
  return {
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let offset = 0; offset < length; offset += 32) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        out.set(block.subarray(0, Math.min(32, length - offset)), offset);
      }
      return out;
    },
  };
};
