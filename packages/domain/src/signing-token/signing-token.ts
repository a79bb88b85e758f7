import { sha256Hex } from '../shared/hash.js';
import type { Sha256Hex } from '../shared/types.js';

/** 256 bits: twice the 128-bit floor, so guessing a live link is out of reach. */
export const SIGNING_TOKEN_BYTES = 32;

export interface SigningToken {
  /** Goes into the link only; never stored. */
  readonly token: string;
  /** What storage keeps and looks up. */
  readonly hash: Sha256Hex;
}

/** A signing link token from at least 16 random bytes; only its hash is ever stored. */
export const signingTokenFrom = (randomBytes: Uint8Array): SigningToken => {
  if (randomBytes.length < 16) throw new Error('A signing token needs at least 128 bits of randomness');
  const token = Buffer.from(randomBytes).toString('base64url');
  return { token, hash: hashSigningToken(token) };
};

export const hashSigningToken = (token: string): Sha256Hex => sha256Hex(`paraphe-signing-token:${token}`);
