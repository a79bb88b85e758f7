import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CadesSignature, createCadesSignature } from './cms-signature.js';
import { generateDevelopmentSigningIdentity } from './development-identity.js';
import type { SigningIdentity } from './signing-identity.js';
import { loadSigningIdentity } from './signing-identity-loader.js';
import { referenceCms, referenceSignedAttributes } from './test-support/cades-reference.js';

const load = async (keyAlgorithm: 'rsa-2048' | 'ecdsa-p256'): Promise<SigningIdentity> => {
  const loaded = await loadSigningIdentity(await generateDevelopmentSigningIdentity({ keyAlgorithm }))();
  if (E.isLeft(loaded)) throw new Error(loaded.left.code);
  return loaded.right;
};

const digestOf = (text: string): Uint8Array => new Uint8Array(createHash('sha256').update(text).digest());

const cadesOf = async (identity: SigningIdentity, digest: Uint8Array): Promise<CadesSignature> => {
  const signed = await createCadesSignature(identity, digest)();
  if (E.isLeft(signed)) throw new Error(signed.left.code);
  return signed.right;
};

describe('createCadesSignature (DER spliced from per-identity pieces)', () => {
  const identities: Record<string, SigningIdentity> = {};

  beforeAll(async () => {
    identities.rsa = await load('rsa-2048');
    identities.ec = await load('ecdsa-p256');
  });

  it.each(['rsa', 'ec'])('encodes exactly what pkijs builds the slow way (%s)', async (kind) => {
    const identity = identities[kind]!;
    expect(identity.certificatesDer.length).toBeGreaterThan(1);
    // Several digests in a row: the template cached for the identity must serve every seal unchanged.
    for (const digest of [digestOf('a'), digestOf('b'), new Uint8Array(randomBytes(32))]) {
      const cades = await cadesOf(identity, digest);
      const spliced = cades.encode();
      expect(Buffer.from(spliced).equals(referenceCms(identity, digest, cades.signatureValue))).toBe(true);
    }
  });

  it('encodes a timestamp token as the same unsigned attribute as pkijs', async () => {
    const identity = identities.rsa!;
    const digest = digestOf('timestamped');
    // Any DER stands in for a TimeStampToken here: the splice copies it as an opaque value. The large one
    // takes asn1js past 16 KB, where it switches to another encoder.
    const tokens = [
      (await cadesOf(identity, digestOf('token'))).encode(),
      new Uint8Array(
        new asn1js.OctetString({ valueHex: new Uint8Array(20_000).fill(7).buffer }).toBER(false),
      ),
    ];
    const cades = await cadesOf(identity, digest);
    for (const token of tokens) {
      expect(
        Buffer.from(cades.encode(token)).equals(referenceCms(identity, digest, cades.signatureValue, token)),
      ).toBe(true);
    }
  });

  it.each(['rsa', 'ec'])('signs the signed attributes re-tagged as a SET (%s)', async (kind) => {
    const identity = identities[kind]!;
    const digest = digestOf('content');
    const { signatureValue } = await cadesOf(identity, digest);
    const toVerify = Buffer.from(referenceSignedAttributes(identity, digest).toSchema().toBER(false));
    toVerify[0] = 0x31;
    const leaf = new X509Certificate(Buffer.from(identity.certificatesDer[0]!));
    expect(verify('sha256', toVerify, leaf.publicKey, signatureValue)).toBe(true);
  });
});
