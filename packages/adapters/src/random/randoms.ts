import { createHash, randomBytes } from 'node:crypto';
import type { Random } from '@paraphe/domain';

const POOL_BYTES = 4096;

/**
 * Bytes from the operating system's CSPRNG. A send asks for a few short runs (token, id, IV); one `randomBytes`
 * call per run costs a syscall each, so the bytes are fetched a few KB at a time and handed out in order. Every
 * byte is handed out once, as a copy (the caller never shares the pool); larger requests bypass the pool.
 */
export const makeCryptoRandom = (): Random => {
  let pool = randomBytes(POOL_BYTES);
  let offset = 0;
  return {
    bytes: (length) => {
      if (length > POOL_BYTES / 4) return new Uint8Array(randomBytes(length));
      if (offset + length > POOL_BYTES) {
        pool = randomBytes(POOL_BYTES);
        offset = 0;
      }
      const out = new Uint8Array(pool.subarray(offset, offset + length));
      // Handed-out bytes (tokens, ids) do not linger in the pool.
      pool.fill(0, offset, offset + length);
      offset += length;
      return out;
    },
  };
};

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
