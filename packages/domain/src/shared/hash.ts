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

const lowerHex = /^(?:[0-9a-f]{2})+$/;

/**
 * Compares two lower-case hex digests (anything else is unequal) in time independent of where they differ: every
 * character is looked at, with no early exit. Written in JavaScript because `timingSafeEqual` needs two buffers
 * decoded from hex first, which made a code check cost half a microsecond more.
 */
export const equalDigests = (a: string, b: string): boolean => {
  if (a.length !== b.length || !lowerHex.test(a) || !lowerHex.test(b)) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
};
