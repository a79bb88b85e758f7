// Hashing is deterministic computation, not I/O: the domain may use it freely.
import * as crypto from 'node:crypto';
import type { Sha256Hex } from './types.js';

const { createHash, createHmac } = crypto;

// `crypto.hash` (Node 20.12+) hashes in one call, about twice as fast as a Hash object for the short inputs
// of the audit chain, which hashes every event of every transition. Older Node falls back to `createHash`.
const oneShot: ((algorithm: string, data: Uint8Array | string, encoding: 'hex') => string) | undefined =
  typeof crypto.hash === 'function' ? crypto.hash : undefined;

export const sha256Hex = (data: Uint8Array | string): Sha256Hex =>
  (oneShot === undefined
    ? createHash('sha256').update(data).digest('hex')
    : oneShot('sha256', data, 'hex')) as Sha256Hex;

export const hmacSha256Hex = (key: Uint8Array | string, data: string): string =>
  createHmac('sha256', key).update(data).digest('hex');

/**
 * Compares two lower-case hex digests (anything else is unequal) in time independent of where they differ: every
 * character is looked at, with no early exit. Written in JavaScript because `timingSafeEqual` needs two buffers
 * decoded from hex first, which made a code check cost half a microsecond more. Checking that `a` is hex is
 * enough: when the two are equal, `b` is the same text.
 */
export const equalDigests = (a: string, b: string): boolean => {
  const length = a.length;
  if (length !== b.length || length === 0 || length % 2 !== 0) return false;
  let difference = 0;
  let notHex = 0;
  for (let i = 0; i < length; i++) {
    const code = a.charCodeAt(i);
    difference |= code ^ b.charCodeAt(i);
    // Outside '0'–'9' (48–57) and outside 'a'–'f' (97–102).
    notHex |= ((code - 48) >>> 0 > 9 ? 1 : 0) & ((code - 97) >>> 0 > 5 ? 1 : 0);
  }
  return difference === 0 && notHex === 0;
};
