import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalDigests, hmacSha256Hex, sha256Hex } from './hash.js';

describe('hashing', () => {
  it('computes SHA-256 and HMAC-SHA256 in lower-case hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(sha256Hex('abc'));
    // RFC 4231, test case 2.
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('compares digests', () => {
    const digest = sha256Hex('a');
    expect(equalDigests(digest, digest)).toBe(true);
    expect(equalDigests(digest, sha256Hex('b'))).toBe(false);
    expect(equalDigests(digest, digest.slice(0, 62))).toBe(false);
    expect(equalDigests('', '')).toBe(false);
  });

  // Pinned: Buffer.from(hex) silently stops at the first non-hex character or odd length,
  // so a digest followed by junk used to compare equal to the digest.
  it('never accepts a string that is not exactly the same hex digest', () => {
    const digest = sha256Hex('a');
    expect(equalDigests(digest, `${digest}0`)).toBe(false);
    expect(equalDigests(digest, `${digest}zz`)).toBe(false);
    expect(equalDigests(`${digest}zz`, `${digest}zz`)).toBe(false);
    expect(equalDigests(digest, digest.toUpperCase())).toBe(false);
    expect(equalDigests('zz', 'yy')).toBe(false);
  });
});

describe('equalDigests against its definition', () => {
  const lowerHex = /^(?:[0-9a-f]{2})+$/;
  const digestLike = fc.oneof(
    fc.stringMatching(/^[0-9a-f]{0,8}$/),
    fc.stringMatching(/^[0-9a-fA-F:g ]{0,8}$/),
    fc.string({ maxLength: 8 }),
  );
  it('is true exactly when both are the same lower-case hex text of even, non-zero length', () => {
    fc.assert(
      fc.property(digestLike, digestLike, fc.boolean(), (a, b, same) => {
        const other = same ? a : b;
        expect(equalDigests(a, other)).toBe(a === other && lowerHex.test(a));
      }),
      { numRuns: 5_000 },
    );
  });
});
