import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecdsaSignatureToDer } from './ecdsa-signature.js';

const integers = (der: Uint8Array): ReadonlyArray<bigint> => {
  const parsed = asn1js.fromBER(der.slice().buffer as ArrayBuffer);
  expect(parsed.offset).toBe(der.length);
  return (parsed.result as asn1js.Sequence).valueBlock.value.map((v) => (v as asn1js.Integer).toBigInt());
};

const unsigned = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

describe('ecdsaSignatureToDer', () => {
  it('re-encodes raw r‖s as a DER SEQUENCE of the same two positive integers', () => {
    fc.assert(
      fc.property(
        // Leading zero bytes and high bits both occur: they change the DER length and need a sign byte.
        fc
          .uint8Array({ minLength: 32, maxLength: 32 })
          .map((r) => (r[0]! < 64 ? r.fill(0, 0, r[0]! % 4) : r)),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (r, s) => {
          const der = ecdsaSignatureToDer(new Uint8Array([...r, ...s]));
          expect(der).toBeDefined();
          expect(integers(der!)).toEqual([unsigned(r), unsigned(s)]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a DER signature as it is, and what Node verifies stays verifiable', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const der = new Uint8Array(sign('sha256', data, privateKey));
        expect(Buffer.from(ecdsaSignatureToDer(der)!).equals(Buffer.from(der))).toBe(true);
        const raw = new Uint8Array(sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
        expect(verify('sha256', data, publicKey, ecdsaSignatureToDer(raw)!)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('answers nothing for bytes that are neither', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }).filter((b) => b.length !== 64 && b[0] !== 0x30),
        (bytes) => {
          expect(ecdsaSignatureToDer(bytes)).toBeUndefined();
        },
      ),
    );
    expect(ecdsaSignatureToDer(createHash('sha256').update('x').digest())).toBeUndefined();
  });
});
