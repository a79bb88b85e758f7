import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from '../development-identity.js';
import { readableCertificate } from './signer-info-check.js';

const derOf = (pem: string): Uint8Array =>
  new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));

const parses = (der: Uint8Array): pkijs.Certificate | undefined => {
  try {
    return pkijs.Certificate.fromBER(der.slice().buffer as ArrayBuffer);
  } catch {
    return undefined;
  }
};
// What the verifier hands OpenSSL: pkijs's re-encoding of what it parsed.
const opensslReadsReencoded = (certificate: pkijs.Certificate): boolean => {
  try {
    new X509Certificate(Buffer.from(certificate.toSchema().toBER(false)));
    return true;
  } catch {
    return false;
  }
};

describe('readableCertificate', () => {
  it('refuses a damaged certificate that pkijs still parses but OpenSSL does not (it made the verifier throw)', async () => {
    const identity = await generateDevelopmentSigningIdentity();
    const leaf = derOf(identity.leafCertificatePem);
    expect(readableCertificate(parses(leaf)!)).toBe(true);
    // One changed byte, found by searching, as the verifier's property test found it inside a /DSS.
    let damaged: pkijs.Certificate | undefined;
    for (let at = 0; at < leaf.length && damaged === undefined; at++) {
      for (const value of [0x00, 0x26, 0x7f, 0xff]) {
        const copy = leaf.slice();
        copy[at] = value;
        const parsed = parses(copy);
        if (parsed !== undefined && !opensslReadsReencoded(parsed)) {
          damaged = parsed;
          break;
        }
      }
    }
    expect(damaged).toBeDefined();
    expect(readableCertificate(damaged!)).toBe(false);
  });
});
