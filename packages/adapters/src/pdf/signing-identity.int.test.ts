import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from './development-identity.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { loadSigningIdentity } from './signing-identity-loader.js';
import { onePagePdf } from './test-support/corpus.js';
import { tempDir } from './test-support/pdf-tools.js';
import { requireTool } from './test-support/require-tool.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

describe('signing identities', () => {
  it('loads PEM identities with RSA and ECDSA keys and rejects mismatched keys', async () => {
    const rsa = await generateDevelopmentSigningIdentity();
    const ec = await generateDevelopmentSigningIdentity({ keyAlgorithm: 'ecdsa-p256' });
    expect(E.isRight(await loadSigningIdentity(rsa)())).toBe(true);
    const loadedEc = await loadSigningIdentity(ec)();
    expect(E.isRight(loadedEc) && loadedEc.right.keyType).toBe('ec');
    const mismatched = await loadSigningIdentity({ ...rsa, privateKeyPem: ec.privateKeyPem })();
    expect(E.isLeft(mismatched) && mismatched.left.code).toBe('SEALING_FAILURE');
    const garbage = await loadSigningIdentity({
      kind: 'pem',
      privateKeyPem: 'nope',
      certificateChainPem: '',
    })();
    expect(E.isLeft(garbage)).toBe(true);
  });

  it('signs with an ECDSA P-256 identity', async () => {
    const sealer = makePadesDocumentSealer({
      identity: await generateDevelopmentSigningIdentity({ keyAlgorithm: 'ecdsa-p256' }),
    });
    const result = await sealer.seal(sealRequestFor(await onePagePdf()))();
    expect(E.isRight(result) && (await verifySignedPdf(result.right)).valid).toBe(true);
  });

  it.skipIf(!requireTool('openssl'))(
    'loads a PKCS#12 file made by OpenSSL 3 and rejects a wrong passphrase',
    async () => {
      const identity = await generateDevelopmentSigningIdentity();
      const dir = tempDir();
      writeFileSync(join(dir, 'key.pem'), identity.privateKeyPem);
      writeFileSync(join(dir, 'leaf.pem'), identity.leafCertificatePem);
      writeFileSync(join(dir, 'root.pem'), identity.rootCertificatePem);
      execFileSync('openssl', [
        'pkcs12',
        '-export',
        '-inkey',
        join(dir, 'key.pem'),
        '-in',
        join(dir, 'leaf.pem'),
        '-certfile',
        join(dir, 'root.pem'),
        '-passout',
        'pass:pässword',
        '-out',
        join(dir, 'id.p12'),
      ]);
      const pkcs12 = new Uint8Array(readFileSync(join(dir, 'id.p12')));
      const loaded = await loadSigningIdentity({ kind: 'pkcs12', pkcs12, passphrase: 'pässword' })();
      if (E.isLeft(loaded)) throw new Error(JSON.stringify(loaded.left));
      expect(loaded.right.certificatesDer).toHaveLength(2);
      expect(loaded.right.subjectCommonName).toBe('Paraphe DEVELOPMENT signer');
      const wrong = await loadSigningIdentity({ kind: 'pkcs12', pkcs12, passphrase: 'wrong' })();
      expect(E.isLeft(wrong) && wrong.left.code).toBe('SEALING_FAILURE');
      const sealer = makePadesDocumentSealer({
        identity: { kind: 'pkcs12', pkcs12, passphrase: 'pässword' },
      });
      const sealed = await sealer.seal(sealRequestFor(await onePagePdf()))();
      expect(E.isRight(sealed) && (await verifySignedPdf(sealed.right)).valid).toBe(true);
    },
  );
});
