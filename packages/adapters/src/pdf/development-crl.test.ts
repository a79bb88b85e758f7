import { KeyObject } from 'node:crypto';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { developmentCrl } from './development-crl.js';
import { generateDevelopmentAuthority } from './development-identity.js';
import { type OcspIssuer, serialHex } from './development-ocsp.js';

describe('development CRL', () => {
  let issuer: OcspIssuer;
  beforeAll(async () => {
    const authority = await generateDevelopmentAuthority({ keyAlgorithm: 'ecdsa-p256' });
    issuer = { certificate: authority.certificate, privateKey: KeyObject.from(authority.keys.privateKey) };
  });

  // Serials as the registry keeps them: lower-case hex of a positive INTEGER with no leading zero byte.
  const serial = fc
    .uint8Array({ minLength: 1, maxLength: 20 })
    .map((bytes) => Buffer.from(Uint8Array.of(0x01, ...bytes)).toString('hex'));

  it('lists exactly the revoked serials with their dates, under a signature the root verifies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(serial, { maxLength: 6 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        async (serials, seconds) => {
          const at = new Date(seconds * 1000);
          const revoked = new Map(serials.map((s) => [s, at] as const));
          const crl = pkijs.CertificateRevocationList.fromBER(developmentCrl(issuer, revoked, new Date()));
          const listed = (crl.revokedCertificates ?? []).map((r) => serialHex(r.userCertificate));
          expect(listed).toEqual(serials);
          for (const r of crl.revokedCertificates ?? []) expect(r.revocationDate.value).toEqual(at);
          expect(await crl.verify({ issuerCertificate: issuer.certificate })).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  // Shrunk counterexample: a serial decoded from hex was encoded as Node's whole 8 KiB Buffer pool.
  it('lists serial 0100 as 0100', () => {
    const crl = pkijs.CertificateRevocationList.fromBER(
      developmentCrl(issuer, new Map([['0100', new Date(0)]]), new Date()),
    );
    expect(crl.revokedCertificates?.map((r) => serialHex(r.userCertificate))).toEqual(['0100']);
  });
});
