import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashSigningToken, SIGNING_TOKEN_BYTES, signingTokenFrom } from './signing-token.js';

describe('signingTokenFrom', () => {
  it('needs at least 128 bits of randomness', () => {
    expect(() => signingTokenFrom(new Uint8Array(15))).toThrow(/128 bits/);
    expect(signingTokenFrom(new Uint8Array(16)).token).toHaveLength(22);
    expect(SIGNING_TOKEN_BYTES * 8).toBeGreaterThanOrEqual(128);
  });

  it('encodes the bytes in base64url, and stores only a hash that differs from the token', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), (bytes) => {
        const { token, hash } = signingTokenFrom(bytes);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(Buffer.from(token, 'base64url')).toEqual(Buffer.from(bytes));
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(hash).not.toBe(token);
        expect(hash).toBe(hashSigningToken(token));
      }),
    );
  });

  it('gives different tokens different hashes', () => {
    const a = signingTokenFrom(new Uint8Array(32).fill(1));
    const b = signingTokenFrom(new Uint8Array(32).fill(2));
    expect(a.token).not.toBe(b.token);
    expect(a.hash).not.toBe(b.hash);
  });
});
