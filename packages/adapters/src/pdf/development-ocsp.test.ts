import { createHash, KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdjustableClock } from '../clock/clocks.js';
import { type DevelopmentAuthority, generateDevelopmentAuthority } from './development-identity.js';
import {
  answerOcspRequest,
  type DevelopmentOcspResponder,
  type OcspIssuer,
  startDevelopmentOcspResponder,
} from './development-ocsp.js';

// A copy of exactly these bytes: a Buffer's slice() shares its (pooled, larger) ArrayBuffer.
const buf = (bytes: Uint8Array): ArrayBuffer => Uint8Array.from(bytes).buffer as ArrayBuffer;
const sha1 = (data: ArrayBuffer | Uint8Array): ArrayBuffer =>
  buf(
    createHash('sha1')
      .update(new Uint8Array(data as ArrayBuffer))
      .digest(),
  );

const requestFor = (root: pkijs.Certificate, serial: Uint8Array, nonce?: Uint8Array): Uint8Array =>
  new Uint8Array(
    new pkijs.OCSPRequest({
      tbsRequest: new pkijs.TBSRequest({
        requestList: [
          new pkijs.Request({
            reqCert: new pkijs.CertID({
              hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.3.14.3.2.26' }),
              issuerNameHash: new asn1js.OctetString({
                valueHex: sha1(root.subject.toSchema().toBER(false)),
              }),
              issuerKeyHash: new asn1js.OctetString({
                valueHex: sha1(root.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
              }),
              serialNumber: new asn1js.Integer({ valueHex: buf(serial) }),
            }),
          }),
        ],
        ...(nonce === undefined
          ? {}
          : {
              requestExtensions: [
                new pkijs.Extension({
                  extnID: '1.3.6.1.5.5.7.48.1.2',
                  extnValue: new asn1js.OctetString({ valueHex: buf(nonce) }).toBER(false),
                }),
              ],
            }),
      }),
    })
      .toSchema(true)
      .toBER(false),
  );

const serial = fc.uint8Array({ minLength: 1, maxLength: 20 }).map((s) => Uint8Array.of(0x01, ...s));
const validRequest = (root: pkijs.Certificate) =>
  fc
    .tuple(serial, fc.option(fc.uint8Array({ minLength: 1, maxLength: 32 }), { nil: undefined }))
    .map(([s, nonce]) => requestFor(root, s, nonce));
const damaged = (root: pkijs.Certificate) =>
  fc
    .tuple(
      validRequest(root),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(),
    )
    .map(([request, edits, cut]) => {
      const bytes = request.slice();
      for (const [at, value] of edits) bytes[at % bytes.length] = value;
      return bytes.subarray(0, Math.max(1, bytes.length - (cut % 4)));
    });
const anyBody = (root: pkijs.Certificate) =>
  fc.oneof(fc.uint8Array({ maxLength: 512 }), damaged(root), validRequest(root));

/** The OCSPResponse's status, and the statuses it gives (g, r, u) when successful. */
const read = (der: Uint8Array): { readonly status: number; readonly certStatuses: ReadonlyArray<number> } => {
  const response = pkijs.OCSPResponse.fromBER(buf(der));
  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) return { status, certStatuses: [] };
  const basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes!.response.valueBlock.valueHexView);
  return {
    status,
    certStatuses: basic.tbsResponseData.responses.map(
      (r) => (r.certStatus as asn1js.BaseBlock).idBlock.tagNumber,
    ),
  };
};

describe('development OCSP answers', () => {
  let authority: DevelopmentAuthority;
  let issuer: OcspIssuer;
  beforeAll(async () => {
    authority = await generateDevelopmentAuthority({ keyAlgorithm: 'ecdsa-p256' });
    issuer = { certificate: authority.certificate, privateKey: KeyObject.from(authority.keys.privateKey) };
  });

  it('are a well-formed OCSPResponse, successful or malformedRequest, for any bytes', () => {
    fc.assert(
      fc.property(
        fc.constant(null).chain(() => anyBody(authority.certificate)),
        (body) => {
          const { status } = read(
            answerOcspRequest(issuer, body, { now: new Date(), statusOf: () => ({ status: 'good' }) }),
          );
          expect([0, 1]).toContain(status);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('give each serial the status the lookup gives, and echo the nonce', () => {
    fc.assert(
      fc.property(
        serial,
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        fc.boolean(),
        (s, nonce, isRevoked) => {
          const asked: string[] = [];
          const der = answerOcspRequest(issuer, requestFor(authority.certificate, s, nonce), {
            now: new Date(),
            statusOf: (hex) => {
              asked.push(hex);
              return isRevoked ? { status: 'revoked', revokedAt: new Date(0) } : { status: 'good' };
            },
          });
          expect(asked).toEqual([Buffer.from(s).toString('hex')]);
          expect(read(der).certStatuses).toEqual([isRevoked ? 1 : 0]);
          const basic = pkijs.BasicOCSPResponse.fromBER(
            pkijs.OCSPResponse.fromBER(buf(der)).responseBytes!.response.valueBlock.valueHexView,
          );
          const echoed = basic.tbsResponseData.responseExtensions?.[0]?.extnValue.valueBlock.valueHexView;
          expect(Buffer.from(echoed ?? [])).toEqual(
            Buffer.from(new asn1js.OctetString({ valueHex: buf(nonce) }).toBER(false)),
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('development OCSP responder over HTTP', () => {
  let authority: DevelopmentAuthority;
  let responder: DevelopmentOcspResponder;
  beforeAll(async () => {
    authority = await generateDevelopmentAuthority({ keyAlgorithm: 'ecdsa-p256' });
    responder = await startDevelopmentOcspResponder({
      issuer: { certificate: authority.certificate, privateKey: KeyObject.from(authority.keys.privateKey) },
      statusOf: () => ({ status: 'good' }),
      clock: makeAdjustableClock(new Date()),
    });
  });
  afterAll(async () => {
    await responder.close();
  });

  it('never crashes: every POST and GET gets an OCSPResponse or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant(null).chain(() => anyBody(authority.certificate)),
        fc.constantFrom('post', 'get', 'post as text'),
        async (body, how) => {
          const response =
            how === 'get'
              ? await fetch(`${responder.url}/${encodeURIComponent(Buffer.from(body).toString('base64'))}`)
              : await fetch(responder.url, {
                  method: 'POST',
                  headers: { 'content-type': how === 'post' ? 'application/ocsp-request' : 'text/plain' },
                  body,
                });
          const reply = new Uint8Array(await response.arrayBuffer());
          if (how === 'post as text') expect(response.status).toBe(400);
          else {
            expect(response.status).toBe(200);
            expect([0, 1]).toContain(read(reply).status);
          }
        },
      ),
      { numRuns: 100 },
    );
    const after = await fetch(responder.url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: requestFor(authority.certificate, Uint8Array.of(1)),
    });
    expect(read(new Uint8Array(await after.arrayBuffer())).certStatuses).toEqual([0]);
  });

  it('answers malformedRequest to a GET with an empty request', async () => {
    const response = await fetch(`${responder.url}/`);
    expect(response.status).toBe(200);
    expect(read(new Uint8Array(await response.arrayBuffer())).status).toBe(1);
  });
});
