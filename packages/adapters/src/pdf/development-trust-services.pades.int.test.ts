import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DevelopmentTrustServices,
  startDevelopmentTrustServices,
} from './development-trust-services.js';
import { makePadesDocumentSealer } from './pades-document-sealer.js';
import { makeHttpRevocationSource } from './revocation-source.js';
import { onePagePdf } from './test-support/corpus.js';
import { dssOf } from './test-support/dss-contents.js';
import { nssDatabaseTrusting, pdfsigAsync, tempDir, writeTemp } from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { sealRequestFor } from './test-support/seal-request.js';
import { signaturesOf } from './test-support/signature-dictionaries.js';

const run = promisify(execFile);

/** The sealer's B-LTA with nothing but the development services: what `pnpm demo` relies on. */
describe.skipIf(!requireTools('openssl', 'pdfsig', 'certutil'))(
  'PAdES B-LTA on the development trust services',
  () => {
    const dir = tempDir('paraphe-dev-lta-');
    let services: DevelopmentTrustServices;
    const seal = async () =>
      makePadesDocumentSealer({
        identity: services.identity,
        timestampAuthority: services.timestampAuthority,
        level: 'B-LTA',
        revocation: makeHttpRevocationSource({ maxAgeMs: 0 }),
      }).seal(sealRequestFor(await onePagePdf(), { signedAt: new Date() }))();
    const tsVerify = async (token: Uint8Array, data: Uint8Array, name: string): Promise<string> => {
      writeFileSync(join(dir, `${name}.tst`), token);
      writeFileSync(join(dir, `${name}.bin`), data);
      const { stdout } = await run(
        'openssl',
        [
          ...['ts', '-verify', '-token_in', '-in', `${name}.tst`, '-data', `${name}.bin`],
          ...['-CAfile', 'root.pem', '-untrusted', 'tsa.pem'],
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      return stdout;
    };

    beforeAll(async () => {
      services = await startDevelopmentTrustServices();
      writeFileSync(join(dir, 'root.pem'), services.rootCertificatePem);
      writeFileSync(join(dir, 'tsa.pem'), services.tsaCertificatePem);
    });
    afterAll(async () => {
      await services?.close();
    });

    it('seals with a signature timestamp, OCSP answers in the DSS and a document timestamp that validators accept', async () => {
      const result = await seal();
      if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
      const pdf = result.right;
      expect(await dssOf(pdf)).toMatchObject({ present: true, certs: 3, ocsps: 2 });
      const askedBySealer = services.answered().ocsp;
      expect(askedBySealer).toBeGreaterThanOrEqual(2);
      const [signature, timestamp] = await pdfsigAsync(
        writeTemp(dir, 'b-lta.pdf', pdf),
        nssDatabaseTrusting(services.rootCertificatePem),
      );
      expect(signature?.validation).toMatch(/^Signature is Valid/);
      expect(signature?.trusted).toBe(true);
      expect(timestamp).toBeDefined();
      // pdfsig (NSS) asks the responder the leaf names, and trusts its answer.
      expect(services.answered().ocsp).toBeGreaterThan(askedBySealer);
      const [cades, document] = await signaturesOf(pdf);
      expect(document?.subFilter).toBe('ETSI.RFC3161');
      expect(await tsVerify(cades!.timestampToken!, cades!.signatureValue, 'signature')).toContain(
        'Verification: OK',
      );
      const [, end, start, length] = document!.byteRange;
      const covered = Buffer.concat([pdf.subarray(0, end), pdf.subarray(start!, start! + length!)]);
      expect(await tsVerify(document!.contents, covered, 'document')).toContain('Verification: OK');
    });

    it('pdfsig reports the signer revoked once the responder says so, and the sealer refuses to seal', async () => {
      services.revoke(services.identity.leafCertificatePem);
      const [signature] = await pdfsigAsync(
        join(dir, 'b-lta.pdf'),
        nssDatabaseTrusting(services.rootCertificatePem),
      );
      // NSS verifies the responder's signed answer and reports what it says.
      expect(signature?.certificate).toBe('Certificate has been Revoked.');
      const result = await seal();
      expect(E.isLeft(result) && result.left.code).toBe('SEALING_FAILURE');
      expect(E.isLeft(result) && String(result.left.details?.reason)).toMatch(/revoked/);
    });
  },
);

describe.skipIf(!requireTools('pdfsig', 'certutil'))(
  'development trust services once closed (poppler)',
  () => {
    const sealAtLta = async (revocationPointers: 'ocsp' | 'crl') => {
      const services = await startDevelopmentTrustServices({ revocationPointers });
      try {
        const result = await makePadesDocumentSealer({
          identity: services.identity,
          timestampAuthority: services.timestampAuthority,
          level: 'B-LTA',
        }).seal(sealRequestFor(await onePagePdf(), { signedAt: new Date() }))();
        if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
        return { pdf: result.right, nss: nssDatabaseTrusting(services.rootCertificatePem) };
      } finally {
        await services.close();
      }
    };
    const dir = tempDir('paraphe-dev-closed-');

    it('with the responder in the AIA, pdfsig no longer trusts the signer: it asks the responder online', async () => {
      const { pdf, nss } = await sealAtLta('ocsp');
      const [signature] = await pdfsigAsync(writeTemp(dir, 'ocsp.pdf', pdf), nss);
      expect(signature?.validation).toMatch(/^Signature is Valid/);
      expect(signature?.certificate).toBe('Unknown issue with Certificate or corrupted data.');
    });

    it('with the CRL only, the /DSS holds the CRL and pdfsig still trusts the signer', async () => {
      const { pdf, nss } = await sealAtLta('crl');
      expect(await dssOf(pdf)).toMatchObject({ present: true, ocsps: 0, crls: 1 });
      const [signature] = await pdfsigAsync(writeTemp(dir, 'crl.pdf', pdf), nss);
      expect(signature?.validation).toMatch(/^Signature is Valid/);
      expect(signature?.trusted).toBe(true);
    });
  },
);
