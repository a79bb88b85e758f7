import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dssOf } from '../../packages/adapters/src/pdf/test-support/dss-contents.js';
import {
  nssDatabaseTrusting,
  pdfsig,
  pdftotext,
  qpdfCheck,
} from '../../packages/adapters/src/pdf/test-support/pdf-tools.js';
import { requireTools } from '../../packages/adapters/src/pdf/test-support/require-tool.js';
import { signaturesOf } from '../../packages/adapters/src/pdf/test-support/signature-dictionaries.js';

const examples = resolve(import.meta.dirname, '..');
const runDemo = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@paraphe/source', 'src/demo.ts', ...args], {
    cwd: examples,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: examples },
    timeout: 120_000,
  });
/** Each run of the demo seals six PDFs at B-LTA: a test that runs it twice needs more than the default minute. */
const DEMO_TESTS_MS = 300_000;

/** `openssl ts -verify` of a timestamp token over `data`, against the demo's development root and TSA. */
const tsVerify = (out: string, token: Uint8Array, data: Uint8Array): string => {
  writeFileSync(join(out, 'token.der'), token);
  writeFileSync(join(out, 'data.bin'), data);
  return spawnSync(
    'openssl',
    ['ts', '-verify', '-token_in', '-in', 'token.der', '-data', 'data.bin'].concat([
      '-CAfile',
      'development-root.pem',
      '-untrusted',
      'development-tsa.pem',
    ]),
    { cwd: out, encoding: 'utf8' },
  ).stdout;
};

/** The bytes a signature's /ByteRange covers. */
const covered = (pdf: Uint8Array, range: readonly [number, number, number, number]): Buffer =>
  Buffer.concat([pdf.subarray(range[0], range[0] + range[1]), pdf.subarray(range[2], range[2] + range[3])]);

describe('pnpm demo', () => {
  it(
    'tells the whole story and writes the signed PDF, the certificate and the timeline',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'paraphe-demo-'));
      const run = runDemo('--out', out);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('CONTACT_MOBILE_MISSING');
      expect(run.stdout).toContain('wrong code: rejected, 2 attempts left');
      expect(run.stdout).toContain('verification of signed.pdf: valid');
      expect(run.stdout).toContain('sweep: 1 expired');
      expect(run.stdout).toContain('signer 2: Bruno Vendeur (countersigner), waiting');
      expect(run.stdout).toContain(
        'mid-way the procedure is sent; the partly signed PDF holds 1 signature(s)',
      );
      expect(run.stdout).toContain('verification of countersigned.pdf: valid, 2 signature(s)');
      for (const file of [
        'signed.pdf',
        'certificate.pdf',
        'countersigned.pdf',
        'countersigned-certificate.pdf',
        'timeline.json',
      ])
        expect(existsSync(join(out, file))).toBe(true);
      const timeline = JSON.parse(readFileSync(join(out, 'timeline.json'), 'utf8')) as { status: string };
      expect(timeline.status).toBe('signed');

      const again = runDemo('--out', out);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('Run 2 on');
      expect(again.stdout).toMatch(/from run 1: procedure sp_\w+ for D-2026-0042 is signed/);
      expect(again.stdout).toMatch(/from run 1: procedure sp_\w+ for D-2026-0043 is expired/);
      expect(again.stdout).toMatch(/from run 1: procedure sp_\w+ for D-2026-0044 is signed/);
    },
    DEMO_TESTS_MS,
  );

  it.skipIf(!requireTools('pdfsig', 'qpdf', 'openssl', 'certutil', 'pdfdetach', 'pdftotext'))(
    'seals signed.pdf and certificate.pdf at PAdES B-LTA with the development TSA and OCSP responder on loopback, and countersigned.pdf with two timestamped signatures pdfsig calls valid',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'paraphe-demo-lta-'));
      const run = runDemo('--out', out);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const nss = nssDatabaseTrusting(readFileSync(join(out, 'development-root.pem'), 'utf8'));
      for (const file of ['signed.pdf', 'certificate.pdf']) {
        const path = join(out, file);
        const pdf = new Uint8Array(readFileSync(path));
        expect(qpdfCheck(path).ok, file).toBe(true);
        // poppler 22 lists the document timestamp but cannot validate one: openssl does, below.
        const listed = pdfsig(path, nss);
        expect(listed, file).toHaveLength(2);
        expect(listed[0]?.validation, file).toMatch(/^Signature is Valid/);
        expect(listed[1]?.totalDocumentSigned, file).toBe(true);

        const dss = await dssOf(pdf);
        expect(dss.certs, file).toBeGreaterThanOrEqual(3);
        expect(dss.ocsps + dss.crls, file).toBeGreaterThanOrEqual(2);

        const [signature, timestamp] = await signaturesOf(pdf);
        expect(signature?.subFilter, file).toBe('ETSI.CAdES.detached');
        expect(timestamp?.subFilter, file).toBe('ETSI.RFC3161');
        expect(timestamp?.type, file).toBe('DocTimeStamp');
        expect(timestamp!.byteRange[2] + timestamp!.byteRange[3], file).toBe(pdf.length);
        expect(tsVerify(out, signature!.timestampToken!, signature!.signatureValue), file).toContain(
          'Verification: OK',
        );
        expect(tsVerify(out, timestamp!.contents, covered(pdf, timestamp!.byteRange)), file).toContain(
          'Verification: OK',
        );
      }
      // The proof bundle travels inside the certificate.
      const attached = spawnSync('pdfdetach', ['-list', join(out, 'certificate.pdf')], { encoding: 'utf8' });
      expect(attached.stdout).toMatch(/1 embedded files\n1: paraphe-evidence\.json/);

      // The second story: the contact's signature, then the seller's, in one PDF sealed at B-T (each signature
      // timestamped), so that every entry pdfsig lists is a signature it validates.
      const countersigned = join(out, 'countersigned.pdf');
      const pdf = new Uint8Array(readFileSync(countersigned));
      expect(qpdfCheck(countersigned).ok).toBe(true);
      const listed = pdfsig(countersigned, nss);
      const fields = await signaturesOf(pdf);
      expect(fields.map((f) => f.subFilter)).toEqual(['ETSI.CAdES.detached', 'ETSI.CAdES.detached']);
      expect(listed).toHaveLength(2);
      for (const [i, entry] of listed.entries())
        expect(entry.validation, `signature ${i + 1}`).toMatch(/^Signature is Valid/);
      expect(listed.map((s) => s.totalDocumentSigned)).toEqual([false, true]);
      for (const [i, field] of fields.entries())
        expect(
          tsVerify(out, field.timestampToken!, field.signatureValue),
          `signature ${i + 1}'s timestamp`,
        ).toContain('Verification: OK');
      // The certificate is rendered once, at the end, and names both signers.
      const certificate = pdftotext(join(out, 'countersigned-certificate.pdf'));
      expect(certificate).toMatch(/Signataire 1 sur 2 — Contact du client\s+Nom\s+Claire Martin\s/);
      expect(certificate).toMatch(/Signataire 2 sur 2 — Contresignataire\s+Nom\s+Bruno Vendeur\s/);
      expect(qpdfCheck(join(out, 'countersigned-certificate.pdf')).ok).toBe(true);
    },
    DEMO_TESTS_MS,
  );

  it('refuses an unreadable --document with its code and a readable message, without a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paraphe-demo-'));
    const bogus = join(dir, 'not-a.pdf');
    writeFileSync(bogus, 'this is not a PDF');
    const run = runDemo('--out', dir, '--document', bogus);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('DOCUMENT_UNREADABLE');
    expect(run.stderr).toContain("Le document n'est pas un PDF lisible");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
