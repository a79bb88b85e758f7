import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const tempDir = (prefix = 'paraphe-pdf-'): string => mkdtempSync(join(tmpdir(), prefix));

export const writeTemp = (dir: string, name: string, bytes: Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

const run = (tool: string, args: ReadonlyArray<string>): { readonly code: number; readonly out: string } => {
  try {
    return {
      code: 0,
      out: execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: 'pipe' }),
    };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
};

export interface PdfsigSignature {
  readonly valid: boolean;
  readonly totalDocumentSigned: boolean;
  readonly trusted: boolean;
  readonly validation: string;
  readonly certificate: string;
}

const parsePdfsig = (out: string): ReadonlyArray<PdfsigSignature> =>
  out
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => {
      const validation = /Signature Validation: (.*)$/m.exec(block)?.[1] ?? '';
      const certificate = /Certificate Validation: (.*)$/m.exec(block)?.[1] ?? '';
      return {
        valid: validation.startsWith('Signature is Valid'),
        totalDocumentSigned: /Total document signed/.test(block),
        trusted: certificate.startsWith('Certificate is Trusted'),
        validation,
        certificate,
      };
    });

/** pdfsig exits 0 even on "Digest Mismatch", so its text is what counts. */
export const pdfsig = (path: string, nssDir?: string): ReadonlyArray<PdfsigSignature> =>
  parsePdfsig(run('pdfsig', [...(nssDir === undefined ? [] : ['-nssdir', `sql:${nssDir}`]), path]).out);

/**
 * pdfsig without blocking the event loop: NSS checks a certificate naming an OCSP responder online, and a
 * responder served by this very process must be able to answer meanwhile.
 */
export const pdfsigAsync = (path: string, nssDir?: string): Promise<ReadonlyArray<PdfsigSignature>> =>
  new Promise((resolve) => {
    execFile(
      'pdfsig',
      [...(nssDir === undefined ? [] : ['-nssdir', `sql:${nssDir}`]), path],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (_error, stdout, stderr) => resolve(parsePdfsig(`${stdout}${stderr}`)),
    );
  });

export const qpdfCheck = (path: string): { readonly ok: boolean; readonly out: string } => {
  const r = run('qpdf', ['--check', path]);
  return { ok: r.code === 0, out: r.out };
};

export const pdftotext = (path: string, page?: number): string =>
  run('pdftotext', [
    ...(page === undefined ? [] : ['-f', String(page), '-l', String(page)]),
    '-layout',
    path,
    '-',
  ]).out;

/** Renders every page to PNG; returns how many images poppler wrote. */
export const pdftoppm = (path: string, outPrefix: string, resolution = 50): number => {
  run('sh', ['-c', `rm -f "${outPrefix}"-*.png`]);
  const r = run('pdftoppm', ['-r', String(resolution), '-png', path, outPrefix]);
  if (r.code !== 0) return -1;
  return Number(run('sh', ['-c', `ls "${outPrefix}"-*.png | wc -l`]).out.trim());
};

export const pageCountByPoppler = (path: string): number =>
  Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [path]).out)?.[1] ?? -1);

/** A throwaway NSS database trusting the given root for e-mail/document signing. */
export const nssDatabaseTrusting = (...rootPems: ReadonlyArray<string>): string => {
  const dir = tempDir('paraphe-nss-');
  run('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`]);
  rootPems.forEach((pem, i) => {
    writeFileSync(join(dir, `root${i}.pem`), pem);
    // poppler 22 validates for e-mail signing, so the root needs the S/MIME trust bit ("C,," is not enough).
    run('certutil', [
      '-A',
      '-n',
      `root${i}`,
      '-t',
      'C,C,',
      '-i',
      join(dir, `root${i}.pem`),
      '-d',
      `sql:${dir}`,
    ]);
  });
  return dir;
};
