import { execFileSync } from 'node:child_process';
import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCadesSignature } from './cms-signature.js';
import { ecdsaSignatureToDer } from './ecdsa-signature.js';
import { makeKeyObjectSigningKey } from './key-object-signing-key.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import type { SigningIdentity, SigningIdentityConfig } from './signing-identity.js';
import { loadSigningIdentity } from './signing-identity-loader.js';
import { onePagePdf } from './test-support/corpus.js';
import { type DevelopmentKey, developmentKey } from './test-support/development-key.js';
import { nssDatabaseTrusting, pdfsig, tempDir, writeTemp } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { startWorkerSigningKey, type WorkerSigningKey } from './test-support/worker-signing-key.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

const unwrap = <L, A>(result: E.Either<L, A>): A => {
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

const pkcs12Of = (key: DevelopmentKey, dir: string, name: string): Uint8Array => {
  writeFileSync(join(dir, `${name}.key`), key.identity.privateKeyPem);
  writeFileSync(join(dir, `${name}.leaf`), key.identity.leafCertificatePem);
  writeFileSync(join(dir, `${name}.root`), key.identity.rootCertificatePem);
  const out = join(dir, `${name}.p12`);
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    ...['-inkey', join(dir, `${name}.key`), '-in', join(dir, `${name}.leaf`)],
    ...['-certfile', join(dir, `${name}.root`), '-passout', 'pass:p12', '-out', out],
  ]);
  return new Uint8Array(readFileSync(out));
};

interface Adapter {
  readonly identity: SigningIdentity;
  readonly rootPem: string;
}

describe.skipIf(!requireTools('openssl', 'pdfsig', 'certutil'))(
  'signing keys behind the port: PEM, PKCS#12 and a worker thread, checked by Node, OpenSSL and poppler',
  () => {
    const dir = tempDir('paraphe-signing-key-');
    const adapters: Record<string, Adapter> = {};
    const workers: WorkerSigningKey[] = [];

    beforeAll(async () => {
      const [rsa, ec] = await Promise.all([developmentKey('rsa-2048'), developmentKey('ecdsa-p256')]);
      const [rsaWorker, ecWorker] = await Promise.all([
        startWorkerSigningKey('rsa-2048'),
        startWorkerSigningKey('ecdsa-p256'),
      ]);
      workers.push(rsaWorker, ecWorker);
      const configs: Record<string, [SigningIdentityConfig, string]> = {
        'PEM RSA': [rsa.identity, rsa.identity.rootCertificatePem],
        'PEM ECDSA': [ec.identity, ec.identity.rootCertificatePem],
        'PKCS#12 RSA': [
          { kind: 'pkcs12', pkcs12: pkcs12Of(rsa, dir, 'rsa'), passphrase: 'p12' },
          rsa.identity.rootCertificatePem,
        ],
        'PKCS#12 ECDSA': [
          { kind: 'pkcs12', pkcs12: pkcs12Of(ec, dir, 'ec'), passphrase: 'p12' },
          ec.identity.rootCertificatePem,
        ],
        'worker RSA': [{ kind: 'key', key: rsaWorker.key }, rsaWorker.rootCertificatePem],
        'worker ECDSA (raw r‖s)': [{ kind: 'key', key: ecWorker.key }, ecWorker.rootCertificatePem],
        'in-process RSA-PSS': [
          {
            kind: 'key',
            key: makeKeyObjectSigningKey(rsa.privateKey, rsa.certificateChain, 'rsa-pss-sha256'),
          },
          rsa.identity.rootCertificatePem,
        ],
      };
      for (const [name, [config, rootPem]] of Object.entries(configs))
        adapters[name] = { identity: unwrap(await loadSigningIdentity(config)()), rootPem };
    });

    afterAll(async () => {
      await Promise.all(workers.map((w) => w.close()));
    });

    const names = [
      'PEM RSA',
      'PEM ECDSA',
      'PKCS#12 RSA',
      'PKCS#12 ECDSA',
      'worker RSA',
      'worker ECDSA (raw r‖s)',
      'in-process RSA-PSS',
    ];

    it.each(names)('%s: signatures of random digests verify with the leaf public key', async (name) => {
      const { identity } = adapters[name]!;
      const leaf = new X509Certificate(identity.certificatesDer[0]!).publicKey;
      const pss = identity.algorithm === 'rsa-pss-sha256';
      const leafKey = pss ? { key: leaf, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : leaf;
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (data) => {
          // RSA PKCS#1 v1.5 keys are given the digest alone, as a KMS is: what they sign is the digest.
          const digestOnly = identity.algorithm === 'rsa-pkcs1v15-sha256';
          const answered = unwrap(
            await identity.key.sign(sha256(data), digestOnly ? new Uint8Array(0) : data)(),
          );
          const signature = identity.keyType === 'ec' ? ecdsaSignatureToDer(answered)! : answered;
          expect(verify('sha256', data, leafKey, signature)).toBe(true);
        }),
        { numRuns: process.env.CI === 'true' ? 200 : 50 },
      );
    });

    it.each(names)('%s: the CMS over random content verifies with openssl cms', async (name) => {
      const { identity, rootPem } = adapters[name]!;
      const root = writeTemp(dir, `${name}-root.pem`, new TextEncoder().encode(rootPem));
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 5000 }), async (content) => {
          const cades = unwrap(await createCadesSignature(identity, sha256(content))());
          const cms = writeTemp(dir, 'cms.der', cades.encode());
          const data = writeTemp(dir, 'content.bin', content);
          // Throws (exit status 4) when the signature or the chain does not verify.
          execFileSync(
            'openssl',
            [
              ...['cms', '-verify', '-binary', '-inform', 'DER', '-in', cms, '-content', data],
              ...['-CAfile', root, '-purpose', 'any', '-out', '/dev/null'],
            ],
            { stdio: 'pipe' },
          );
        }),
        { numRuns: process.env.CI === 'true' ? 20 : 6 },
      );
    });

    it.each(names)('%s: sealed PDFs that pdfsig calls valid and trusted', async (name) => {
      const { identity, rootPem } = adapters[name]!;
      // The loaded identity's key is what a CRM would pass as { kind: 'key' }: the sealer gets the port only.
      const sealer = makePadesDocumentSealer({ identity: { kind: 'key', key: identity.key } });
      const nss = nssDatabaseTrusting(rootPem);
      const document = await onePagePdf();
      // Each signer and instant gives other signed attributes, so another digest for the key to sign.
      const requests = fc.record({
        signerName: fc.string({ minLength: 1, maxLength: 40 }).filter((n) => n.trim().length > 0),
        signedAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        language: fc.constantFrom('fr' as const, 'en' as const),
      });
      await fc.assert(
        fc.asyncProperty(requests, async (overrides) => {
          const sealed = unwrap(await sealer.seal(sealRequestFor(document, overrides))());
          const [signature, ...more] = pdfsig(writeTemp(dir, 'sealed.pdf', sealed), nss);
          expect(more).toHaveLength(0);
          expect(signature?.validation).toMatch(/^Signature is Valid/);
          expect(signature?.trusted).toBe(true);
          expect(signature?.totalDocumentSigned).toBe(true);
          // verifySignedPdf checks RSA PKCS#1 v1.5 and ECDSA only.
          if (identity.algorithm !== 'rsa-pss-sha256')
            expect((await verifySignedPdf(sealed)).valid).toBe(true);
        }),
        { numRuns: process.env.CI === 'true' ? 15 : 4 },
      );
    });
  },
);
