import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SealingError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeKeyObjectSigningKey } from './key-object-signing-key.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { loadSigningIdentity } from './signing-identity-loader.js';
import { fromAsyncSigningKey, type SigningKey, signingKeyError } from './signing-key.js';
import { onePagePdf } from './test-support/corpus.js';
import { type DevelopmentKey, developmentKey } from './test-support/development-key.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

const leftOf = <A>(result: E.Either<SealingError, A>): SealingError => {
  if (E.isRight(result)) throw new Error('expected a failure');
  return result.left;
};

describe('the signing-key port', () => {
  let rsa: DevelopmentKey;
  let other: DevelopmentKey;
  let ec: DevelopmentKey;
  let document: Uint8Array;

  beforeAll(async () => {
    [rsa, other, ec] = await Promise.all([
      developmentKey('rsa-2048'),
      developmentKey('rsa-2048'),
      developmentKey('ecdsa-p256'),
    ]);
    document = await onePagePdf();
  });

  const inProcess = (key: DevelopmentKey): SigningKey =>
    makeKeyObjectSigningKey(
      key.privateKey,
      key.certificateChain,
      key === ec ? 'ecdsa-p256-sha256' : 'rsa-pkcs1v15-sha256',
    );

  /** A key that answers with `first` on its first call and with `then` afterwards. */
  const switching = (first: SigningKey, then: SigningKey): SigningKey => {
    let calls = 0;
    return { ...first, sign: (digest, data) => (calls++ === 0 ? first : then).sign(digest, data) };
  };

  const seal = (key: SigningKey) =>
    makePadesDocumentSealer({ identity: { kind: 'key', key } }).seal(sealRequestFor(document))();

  it.each([
    ['RSA PKCS#1 v1.5', () => inProcess(rsa)],
    ['RSA-PSS', () => makeKeyObjectSigningKey(rsa.privateKey, rsa.certificateChain, 'rsa-pss-sha256')],
    ['ECDSA P-256', () => inProcess(ec)],
  ])('seals through a key given as a port (%s)', async (_, key) => {
    const sealed = await seal(key());
    if (E.isLeft(sealed)) throw new Error(JSON.stringify(sealed.left));
    expect(sealed.right.length).toBeGreaterThan(document.length);
  });

  it('a sealed PDF from a key given as a port verifies like one from its PEM', async () => {
    for (const key of [rsa, ec]) {
      const sealed = await seal(inProcess(key));
      expect(E.isRight(sealed) && (await verifySignedPdf(sealed.right)).valid).toBe(true);
    }
  });

  it('refuses at load a key whose signature does not verify with the leaf (a KMS pointed at another key)', async () => {
    const wrong: SigningKey = { ...inProcess(rsa), sign: inProcess(other).sign };
    const loaded = leftOf(await loadSigningIdentity({ kind: 'key', key: wrong })());
    expect(loaded.code).toBe('SEALING_FAILURE');
    expect(String(loaded.details?.reason)).toMatch(/does not verify with the leaf/);
  });

  it('refuses a seal whose signature does not verify with the leaf, and embeds nothing', async () => {
    // Right for the probe at load, wrong for the seal.
    const sealed = await seal(switching(inProcess(rsa), { ...inProcess(rsa), sign: inProcess(other).sign }));
    const error = leftOf(sealed);
    expect(error.code).toBe('SEALING_FAILURE');
    expect(String(error.details?.reason)).toMatch(/does not verify with the leaf/);
  });

  it('refuses a key that answers bytes that are no signature', async () => {
    for (const [key, answer] of [
      [rsa, () => new Uint8Array(randomBytes(256))],
      [ec, () => new Uint8Array(randomBytes(64))],
      [ec, () => new Uint8Array(randomBytes(71))],
      [rsa, () => 'not bytes' as unknown as Uint8Array],
    ] as const) {
      const garbage: SigningKey = { ...inProcess(key), sign: () => TE.right(answer()) };
      const error = leftOf(await loadSigningIdentity({ kind: 'key', key: garbage })());
      expect(error.code).toBe('SEALING_FAILURE');
    }
  });

  it('a failing key is SEALING_FAILURE with a reason that keeps nothing of its error', async () => {
    const secret = 'arn:aws:kms:eu-west-3:123456789012:key/very-secret';
    const keys: ReadonlyArray<SigningKey> = [
      fromAsyncSigningKey({ ...inProcess(rsa), sign: () => Promise.reject(new Error(secret)) }),
      // Written by hand as a TaskEither that breaks its contract: it throws or rejects instead of answering Left.
      {
        ...inProcess(rsa),
        sign: () => {
          throw new Error(secret);
        },
      },
      { ...inProcess(rsa), sign: () => () => Promise.reject(new Error(secret)) },
      { ...inProcess(rsa), sign: () => TE.left(signingKeyError('the KMS refused the request')) },
    ];
    for (const key of keys) {
      const loaded = leftOf(await loadSigningIdentity({ kind: 'key', key })());
      expect(loaded.code).toBe('SEALING_FAILURE');
      expect(JSON.stringify(loaded)).not.toContain('very-secret');
      const sealed = leftOf(await seal(switching(inProcess(rsa), key)));
      expect(sealed.code).toBe('SEALING_FAILURE');
      expect(JSON.stringify(sealed)).not.toContain('very-secret');
    }
  });

  it('gives up on a key that does not answer within its time: SEALING_FAILURE, not a hung seal', async () => {
    const hung: SigningKey = { ...inProcess(rsa), sign: () => () => new Promise(() => {}) };
    const loaded = leftOf(await loadSigningIdentity({ kind: 'key', key: hung, timeoutMs: 50 })());
    expect(loaded).toMatchObject({
      code: 'SEALING_FAILURE',
      details: { reason: 'the signing key did not answer within 50 ms' },
    });
    const late = switching(inProcess(rsa), hung);
    const sealer = makePadesDocumentSealer({ identity: { kind: 'key', key: late, timeoutMs: 50 } });
    expect(leftOf(await sealer.seal(sealRequestFor(document))()).code).toBe('SEALING_FAILURE');
  });

  it('asks a key that failed again: a KMS briefly down does not break the sealer for good', async () => {
    const flaky = switching(
      { ...inProcess(rsa), sign: () => TE.left(signingKeyError('the KMS did not answer')) },
      inProcess(rsa),
    );
    const sealer = makePadesDocumentSealer({ identity: { kind: 'key', key: flaky } });
    expect(leftOf(await sealer.seal(sealRequestFor(document))()).code).toBe('SEALING_FAILURE');
    expect(E.isRight(await sealer.seal(sealRequestFor(document))())).toBe(true);
  });

  it('refuses at load a chain that cannot carry the algorithm, without asking the key', async () => {
    let asked = 0;
    const counted = (key: SigningKey): SigningKey => ({
      ...key,
      sign: (digest, data) => {
        asked++;
        return key.sign(digest, data);
      },
    });
    for (const key of [
      { ...inProcess(rsa), algorithm: 'ecdsa-p256-sha256' as const },
      { ...inProcess(ec), algorithm: 'rsa-pkcs1v15-sha256' as const },
      { ...inProcess(rsa), algorithm: 'rsa-sha1' as unknown as 'rsa-pss-sha256' },
      { ...inProcess(rsa), certificateChain: [] },
      { ...inProcess(rsa), certificateChain: [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])] },
    ]) {
      expect(leftOf(await loadSigningIdentity({ kind: 'key', key: counted(key) })()).code).toBe(
        'SEALING_FAILURE',
      );
    }
    expect(asked).toBe(0);
  });

  it('refuses a PEM key the sealer cannot name in CMS: an EC curve other than P-256, an Ed25519 key', async () => {
    const keys = [
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
      generateKeyPairSync('ed25519').privateKey,
    ];
    const reasons = [/P-256 only/, /unsupported key type ed25519/];
    for (const [i, key] of keys.entries()) {
      const privateKeyPem = key.export({ format: 'pem', type: 'pkcs8' }).toString();
      const loaded = leftOf(await loadSigningIdentity({ ...rsa.identity, privateKeyPem })());
      expect(loaded.code).toBe('SEALING_FAILURE');
      expect(String(loaded.details?.reason)).toMatch(reasons[i]!);
    }
  });

  it('keeps the key behind the port for PEM and PKCS#12 identities: the identity holds no key object', async () => {
    const loaded = await loadSigningIdentity(rsa.identity)();
    if (E.isLeft(loaded)) throw new Error(loaded.left.code);
    expect(Object.values(loaded.right).some((v) => (v as { type?: string })?.type === 'private')).toBe(false);
    expect(loaded.right.algorithm).toBe('rsa-pkcs1v15-sha256');
  });
});
