// Hashing is deterministic computation, not I/O: the domain may use it freely.
import * as crypto from 'node:crypto';
import type { Sha256Hex } from './types.js';

const { createHash, createHmac, timingSafeEqual } = crypto;

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

const lowerHex = /^(?:[0-9a-f]{2})+$/;

/** Compares two lower-case hex digests in time independent of where they differ; anything else is unequal. */
export const equalDigests = (a: string, b: string): boolean =>
  // Checked first because Buffer.from(hex) silently stops at the first bad character: `digest + "0"` would equal `digest`.
  lowerHex.test(a) &&
  lowerHex.test(b) &&
  a.length === b.length &&
  timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
