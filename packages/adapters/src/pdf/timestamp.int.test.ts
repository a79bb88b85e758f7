import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDevelopmentSigningIdentity } from './development-identity.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { onePagePdf } from './test-support/corpus.js';
import { type LocalTsa, startLocalTsa } from './test-support/local-tsa.js';
import { nssDatabaseTrusting, pdfsig, tempDir, writeTemp } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

describe.skipIf(!requireTools('openssl', 'pdfsig', 'certutil'))(
  'PAdES B-T with an RFC 3161 authority',
  () => {
    let tsa: LocalTsa;
    beforeAll(async () => {
      tsa = await startLocalTsa();
    });
    afterAll(async () => {
      await tsa.close();
    });

    it('embeds a timestamp over the signature value that validators accept', async () => {
      const identity = await generateDevelopmentSigningIdentity();
      const sealer = makePadesDocumentSealer({ identity, timestampAuthority: { url: tsa.url } });
      const result = await sealer.seal(sealRequestFor(await onePagePdf()))();
      if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
      expect(tsa.requests()).toBe(1);
      const report = await verifySignedPdf(result.right);
      expect(report.valid).toBe(true);
      expect(report.signatures[0]?.timestamp?.coversSignature).toBe(true);
      const [signature] = pdfsig(
        writeTemp(tempDir(), 'b-t.pdf', result.right),
        nssDatabaseTrusting(identity.rootCertificatePem),
      );
      expect(signature?.validation).toMatch(/^Signature is Valid/);
      expect(signature?.trusted).toBe(true);
    });

    it('returns SEALING_FAILURE when the authority is unreachable', async () => {
      const identity = await generateDevelopmentSigningIdentity();
      const sealer = makePadesDocumentSealer({
        identity,
        timestampAuthority: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 2000 },
      });
      const result = await sealer.seal(sealRequestFor(await onePagePdf()))();
      expect(E.isLeft(result) && result.left.code).toBe('SEALING_FAILURE');
    });
  },
);
