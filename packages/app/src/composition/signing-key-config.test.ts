import { createPrivateKey, sign } from 'node:crypto';
import { makeInMemoryCrm } from '@paraphe/adapters';
import {
  type DevelopmentSigningIdentity,
  fromAsyncSigningKey,
  generateDevelopmentSigningIdentity,
  verifySignedPdf,
} from '@paraphe/adapters/pdf';
import { sha256Hex } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createParaphe } from '../create-paraphe.js';
import { makeQuotePdf } from '../test-support/harness.js';
import { decodeConfig } from './config.js';
import { buildContainer } from './container.js';
import { TYPES } from './tokens.js';

const minimal = {
  signingBaseUrl: 'https://crm.example.com/sign/',
  secretKey: 'a-key-of-at-least-thirty-two-characters',
  storage: { kind: 'memory' },
} as const;

const derOf = (pem: string): Uint8Array =>
  new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64'));

/** A key as a CRM would write one around its KMS client: async, and counting what it is asked. */
const asyncKey = (signer: DevelopmentSigningIdentity, keyHolder: DevelopmentSigningIdentity) => {
  const key = createPrivateKey(keyHolder.privateKeyPem);
  let asked = 0;
  const signingKey = fromAsyncSigningKey({
    certificateChain: (signer.certificateChainPem as ReadonlyArray<string>).map(derOf),
    algorithm: 'rsa-pkcs1v15-sha256',
    sign: async (_digest, signedData) => {
      asked++;
      return new Uint8Array(sign('sha256', signedData, key));
    },
  });
  return { signingKey, asked: () => asked };
};

describe('sealing with a key behind the signing-key port ({ kind: "key" })', () => {
  let identity: DevelopmentSigningIdentity;
  let another: DevelopmentSigningIdentity;

  beforeAll(async () => {
    [identity, another] = await Promise.all([
      generateDevelopmentSigningIdentity(),
      generateDevelopmentSigningIdentity(),
    ]);
  });

  it('decodes the key as the very object given, with an optional TSA', () => {
    const { signingKey } = asyncKey(identity, identity);
    for (const extra of [{}, { timestampAuthorityUrl: 'http://127.0.0.1:3180/tsa' }]) {
      const decoded = decodeConfig({ ...minimal, sealing: { kind: 'key', key: signingKey, ...extra } });
      if (E.isLeft(decoded)) throw new Error(JSON.stringify(decoded.left));
      expect(decoded.right.sealing.kind === 'key' && decoded.right.sealing.key).toBe(signingKey);
    }
  });

  it('refuses what is not a signing key with INVALID_CONFIG naming sealing.key', () => {
    const { signingKey } = asyncKey(identity, identity);
    const broken: ReadonlyArray<unknown> = [
      undefined,
      'arn:aws:kms:eu-west-3:123456789012:key/1',
      { ...signingKey, sign: undefined },
      { ...signingKey, certificateChain: [] },
      { ...signingKey, certificateChain: ['MIIB…'] },
      { ...signingKey, algorithm: 'rsa-sha1' },
    ];
    for (const key of broken) {
      const decoded = decodeConfig({ ...minimal, sealing: { kind: 'key', key } });
      expect(decoded, String(key)).toMatchObject({ left: { code: 'INVALID_CONFIG' } });
      expect(E.isLeft(decoded) && String(decoded.left.details?.fields)).toContain('sealing.key');
    }
  });

  it('fails createParaphe on a key whose signatures the leaf does not verify, with no signature made later', async () => {
    const wrong = asyncKey(identity, another);
    const created = await createParaphe({
      crm: makeInMemoryCrm(),
      config: { ...minimal, sealing: { kind: 'key', key: wrong.signingKey } },
    });
    expect(created).toMatchObject({ left: { code: 'INVALID_CONFIG', details: { fields: 'sealing' } } });
    expect(wrong.asked()).toBe(1);
  });

  it('seals through the configured key: the composition root hands it to the sealer', async () => {
    const right = asyncKey(identity, identity);
    const config = decodeConfig({ ...minimal, sealing: { kind: 'key', key: right.signingKey } });
    if (E.isLeft(config)) throw new Error(config.left.code);
    const sealer = await buildContainer(config.right, makeInMemoryCrm(), undefined, {}).getAsync(
      TYPES.DocumentSealer,
    );
    const document = await makeQuotePdf();
    const sealed = await sealer.seal({
      document,
      procedureId: 'proc_1',
      signerName: 'Claire Martin',
      signedAt: new Date('2026-03-02T09:00:00Z'),
      timeZone: 'Europe/Paris',
      language: 'fr',
      originalSha256: sha256Hex(document),
    })();
    if (E.isLeft(sealed)) throw new Error(JSON.stringify(sealed.left));
    expect((await verifySignedPdf(sealed.right)).valid).toBe(true);
    // One probe when the identity loads, one signature for the seal.
    expect(right.asked()).toBe(2);
  });
});
