// Hashing is deterministic computation, not I/O: the domain may use it freely.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Sha256Hex } from './types.js';

export const sha256Hex = (data: Uint8Array | string): Sha256Hex =>
  createHash('sha256').update(data).digest('hex') as Sha256Hex;

export const hmacSha256Hex = (key: Uint8Array | string, data: string): string =>
  createHmac('sha256', key).update(data).digest('hex');

/** Compares two hex digests in time independent of where they differ. */
export const equalDigests = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
};
