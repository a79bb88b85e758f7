import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dssOf } from '../../packages/adapters/src/pdf/test-support/dss-contents.js';
import {
  nssDatabaseTrusting,
  pdfsig,
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

describe('pnpm demo', () => {
  it('tells the whole story and writes the signed PDF, the certificate and the timeline', () => {
    const out = mkdtempSync(join(tmpdir(), 'paraphe-demo-'));
    const run = runDemo('--out', out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('CONTACT_MOBILE_MISSING');
    expect(run.stdout).toContain('wrong code: rejected, 2 attempts left');
    expect(run.stdout).toContain('verification of signed.pdf: valid');
    expect(run.stdout).toContain('sweep: 1 expired');
    for (const file of ['signed.pdf', 'certificate.pdf', 'timeline.json'])
      expect(existsSync(join(out, file))).toBe(true);
    const timeline = JSON.parse(readFileSync(join(out, 'timeline.json'), 'utf8')) as { status: string };
    expect(timeline.status).toBe('signed');

    const again = runDemo('--out', out);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Run 2 on');
    expect(again.stdout).toMatch(/from run 1: procedure sp_\w+ for D-2026-0042 is signed/);
    expect(again.stdout).toMatch(/from run 1: procedure sp_\w+ for D-2026-0043 is expired/);
  });

  it.skipIf(!requireTools('pdfsig', 'qpdf', 'openssl', 'certutil', 'pdfdetach'))(
    'seals signed.pdf and certificate.pdf at PAdES B-LTA with the development TSA and OCSP responder on loopback',
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
        const ts = (token: Uint8Array, data: Uint8Array) => {
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
        expect(ts(signature!.timestampToken!, signature!.signatureValue), file).toContain('Verification: OK');
        const covered = Buffer.concat([
          pdf.subarray(0, timestamp!.byteRange[1]),
          pdf.subarray(timestamp!.byteRange[2]),
        ]);
        expect(ts(timestamp!.contents, covered), file).toContain('Verification: OK');
      }
      // The proof bundle travels inside the certificate.
      const attached = spawnSync('pdfdetach', ['-list', join(out, 'certificate.pdf')], { encoding: 'utf8' });
      expect(attached.stdout).toMatch(/1 embedded files\n1: paraphe-evidence\.json/);
    },
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
