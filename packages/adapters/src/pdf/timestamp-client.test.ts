import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DevelopmentTrustServices,
  startDevelopmentTrustServices,
} from './development-trust-services.js';
import { readTstInfo, requestTimestamp, tokenCertificates } from './timestamp-client.js';

const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as Uint8Array).toString('hex');

describe('the timestamp client reads tokens with asn1js as pkijs reads them whole', () => {
  let trust: DevelopmentTrustServices;
  beforeAll(async () => {
    trust = await startDevelopmentTrustServices();
  });
  afterAll(async () => {
    await trust.close();
  });

  it('gets a token over the imprint asked for, whose TSTInfo and certificates match a full pkijs parse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (imprint) => {
        const result = await requestTimestamp(trust.timestampAuthority, imprint)();
        if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
        const token = result.right;
        const signedData = new pkijs.SignedData({
          schema: pkijs.ContentInfo.fromBER(token.slice().buffer as ArrayBuffer).content,
        });
        const full = pkijs.TSTInfo.fromBER(signedData.encapContentInfo.eContent!.getValue());
        const fast = readTstInfo(token);
        expect(hex(fast.messageImprint.hashedMessage.valueBlock.valueHexView)).toBe(hex(imprint));
        expect(hex(fast.toSchema().toBER(false))).toBe(hex(full.toSchema().toBER(false)));
        const certificates = (signedData.certificates ?? []).map((c) =>
          hex((c as pkijs.Certificate).toSchema().toBER(false)),
        );
        expect(tokenCertificates(token).map(hex)).toEqual(certificates);
        expect(certificates.length).toBeGreaterThan(0);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses what is not a token', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(() => readTstInfo(bytes)).toThrow();
      }),
    );
  });
});
