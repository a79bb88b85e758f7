import * as asn1js from 'asn1js';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdjustableClock } from '../clock/clocks.js';
import { generateDevelopmentAuthority } from './development-identity.js';
import type { TimestampSigner } from './development-timestamp-token.js';
import {
  answerTimestampQuery,
  type DevelopmentTsa,
  issueDevelopmentTimestampSigner,
  startDevelopmentTsa,
} from './development-tsa.js';
import { readTstInfo } from './timestamp-client.js';

const SHA256 = '2.16.840.1.101.3.4.2.1';
// A copy of exactly these bytes: a Buffer's slice() shares its (pooled, larger) ArrayBuffer.
const buf = (bytes: Uint8Array): ArrayBuffer => Uint8Array.from(bytes).buffer as ArrayBuffer;

const queryOf = (imprint: Uint8Array, nonce: Uint8Array, certReq: boolean): Uint8Array =>
  new Uint8Array(
    new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
        hashedMessage: new asn1js.OctetString({ valueHex: buf(imprint) }),
      }),
      nonce: new asn1js.Integer({ valueHex: buf(nonce) }),
      certReq,
    })
      .toSchema()
      .toBER(false),
  );

const validQuery = fc
  .tuple(
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.uint8Array({ minLength: 1, maxLength: 12 }).map((n) => Uint8Array.of(0x01, ...n)),
    fc.boolean(),
  )
  .map(([imprint, nonce, certReq]) => queryOf(imprint, nonce, certReq));

/** Valid queries with bytes overwritten, cut short or extended: they reach the parser's deeper branches. */
const damagedQuery = fc
  .tuple(
    validQuery,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
    fc.nat(),
    fc.uint8Array({ maxLength: 8 }),
  )
  .map(([query, edits, cut, tail]) => {
    const bytes = query.slice();
    for (const [at, value] of edits) bytes[at % bytes.length] = value;
    return Uint8Array.of(...bytes.subarray(0, Math.max(1, bytes.length - (cut % 4))), ...tail);
  });

const anyBody = fc.oneof(fc.uint8Array({ maxLength: 512 }), damagedQuery, validQuery);

const statusOf = (reply: Uint8Array): number => pkijs.TimeStampResp.fromBER(buf(reply)).status.status;

describe('development TSA answers', () => {
  let signer: TimestampSigner;
  beforeAll(async () => {
    signer = await issueDevelopmentTimestampSigner(
      await generateDevelopmentAuthority({ keyAlgorithm: 'ecdsa-p256' }),
    );
  });
  const at = { now: new Date(), serial: Uint8Array.of(0x01, 0x02) };

  it('are a well-formed TimeStampResp, granted or rejected, for any bytes', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        expect([0, 2]).toContain(statusOf(answerTimestampQuery(signer, body, at)));
      }),
      { numRuns: 300 },
    );
  });

  it('grant a token over the very imprint and nonce asked for', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 1, maxLength: 12 }),
        (imprint, nonceTail) => {
          const nonce = Uint8Array.of(0x01, ...nonceTail);
          const reply = pkijs.TimeStampResp.fromBER(
            buf(answerTimestampQuery(signer, queryOf(imprint, nonce, true), at)),
          );
          expect(reply.status.status).toBe(0);
          const info = readTstInfo(new Uint8Array(reply.timeStampToken!.toSchema().toBER(false)));
          expect(Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView)).toEqual(
            Buffer.from(imprint),
          );
          expect(Buffer.from(info.nonce!.valueBlock.valueHexView)).toEqual(Buffer.from(nonce));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reject a query with a byte after its end', () => {
    const query = queryOf(new Uint8Array(32), Uint8Array.of(1), false);
    expect(statusOf(answerTimestampQuery(signer, query, at))).toBe(0);
    expect(statusOf(answerTimestampQuery(signer, Uint8Array.of(...query, 0), at))).toBe(2);
  });
});

describe('development TSA over HTTP', () => {
  let tsa: DevelopmentTsa;
  beforeAll(async () => {
    const authority = await generateDevelopmentAuthority({ keyAlgorithm: 'ecdsa-p256' });
    tsa = await startDevelopmentTsa({
      signer: await issueDevelopmentTimestampSigner(authority),
      clock: makeAdjustableClock(new Date()),
    });
  });
  afterAll(async () => {
    await tsa.close();
  });

  it('never crashes: every POST gets a TimeStampResp or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        fc.constantFrom('application/timestamp-query', 'application/octet-stream'),
        async (body, contentType) => {
          const response = await fetch(tsa.url, {
            method: 'POST',
            headers: { 'content-type': contentType },
            body,
          });
          const reply = new Uint8Array(await response.arrayBuffer());
          if (contentType === 'application/timestamp-query') {
            expect(response.status).toBe(200);
            expect(response.headers.get('content-type')).toBe('application/timestamp-reply');
            expect([0, 2]).toContain(statusOf(reply));
          } else expect(response.status).toBe(400);
        },
      ),
      { numRuns: 100 },
    );
    const after = await fetch(tsa.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: queryOf(new Uint8Array(32), Uint8Array.of(1), false),
    });
    expect(statusOf(new Uint8Array(await after.arrayBuffer()))).toBe(0);
  });
});
