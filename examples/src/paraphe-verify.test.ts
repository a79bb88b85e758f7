import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checksOf, verifyEvidence } from '@paraphe/adapters/pdf';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

// The verifier as a process, as a user runs it (`pnpm run verify -- …` runs this very file through tsx), on what the
// demo writes: the signed PDF, its certificate of signature and the sender's timeline.
const root = resolve(import.meta.dirname, '../..');
const examples = resolve(import.meta.dirname, '..');
const bin = resolve(root, 'packages/adapters/src/bin/paraphe-verify.ts');

const verify = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@paraphe/source', bin, ...args], {
    cwd: examples,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'en_GB.UTF-8', LC_ALL: '', LC_MESSAGES: '', ...env },
    timeout: 120_000,
  });

describe('paraphe-verify on the demo’s output', () => {
  let out: string;
  let signedPath: string;
  let certificatePath: string;
  let timelinePath: string;
  let signed: Uint8Array;
  let certificate: Uint8Array;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'paraphe-verify-'));
    const demo = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@paraphe/source', 'src/demo.ts', '--out', out],
      { cwd: examples, encoding: 'utf8', env: { ...process.env, INIT_CWD: examples }, timeout: 180_000 },
    );
    if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
    signedPath = join(out, 'signed.pdf');
    certificatePath = join(out, 'certificate.pdf');
    timelinePath = join(out, 'timeline.json');
    signed = new Uint8Array(readFileSync(signedPath));
    certificate = new Uint8Array(readFileSync(certificatePath));
  }, 200_000);

  it('exits 0 on the signed PDF with its certificate and timeline, a leading -- tolerated', () => {
    const run = verify(['--', signedPath, '--certificate', certificatePath, '--timeline', timelinePath]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Result: VALID');
    expect(run.stdout).toContain('[OK] Attached audit chain');
    expect(run.stdout).not.toContain('[FAIL]');
  });

  it('names each check in --json, which parses', () => {
    const run = verify([signedPath, '--certificate', certificatePath, '--timeline', timelinePath, '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as {
      valid: boolean;
      checks: ReadonlyArray<{ name: string; file: string; ok: boolean }>;
    };
    expect(report.valid).toBe(true);
    const names = new Set(report.checks.map((c) => `${c.file}:${c.name}`));
    for (const name of [
      'document:byte-range',
      'document:digest',
      'document:cms-signature',
      'document:signing-certificate',
      'document:later-revisions',
      'document:original-sha256',
      'document:signed-sha256',
      'certificate:cms-signature',
      'certificate:evidence-attached',
      'certificate:audit-chain',
      'certificate:timeline-chain',
    ])
      expect(names).toContain(name);
    expect(report.checks.every((c) => c.ok)).toBe(true);
  });

  it('reports in French from LANG, in English with --lang en', () => {
    const fr = verify([signedPath, '--certificate', certificatePath], { LANG: 'fr_FR.UTF-8' });
    expect(fr.status).toBe(0);
    expect(fr.stdout).toContain('Résultat : VALIDE');
    expect(fr.stdout).toContain('Signature CMS vérifiée avec son certificat');
    const en = verify([signedPath, '--certificate', certificatePath, '--lang', 'en'], {
      LANG: 'fr_FR.UTF-8',
    });
    expect(en.stdout).toContain('Result: VALID');
    expect(en.stdout).toContain('CMS signature verified with its certificate');
  });

  it('exits 1 on a copy with one byte changed in a signed range', () => {
    const tampered = signed.slice();
    tampered[100] = (tampered[100] ?? 0) ^ 0x20;
    const path = join(out, 'tampered.pdf');
    writeFileSync(path, tampered);
    const run = verify([path, '--certificate', certificatePath, '--lang', 'en']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Result: NOT VALID');
    expect(run.stdout).toContain('[FAIL]');
  });

  // The same code as the process, without its start-up cost, so that many positions can be tried.
  it('finds any one byte changed anywhere in a signed range of the PDF or of the certificate', async () => {
    const signedRanges = async (pdf: Uint8Array) =>
      (await verifyEvidence({ document: pdf })).document.signatures.map((s) => s.byteRange);
    const ranges = { document: await signedRanges(signed), certificate: await signedRanges(certificate) };
    // Signed by some signature: before its end and outside its hole (padding in the last hole is signed by none).
    const isSigned = (file: keyof typeof ranges, i: number) =>
      ranges[file].some(([, start, end, tail]) => i < end + tail && (i < start || i >= end));
    const change = fc
      .tuple(
        fc.constantFrom('document' as const, 'certificate' as const),
        fc.double({ min: 0, max: 1, maxExcluded: true }),
      )
      .map(([file, at]) => ({
        file,
        offset: Math.floor(at * (file === 'document' ? signed : certificate).length),
      }))
      .filter(({ file, offset }) => isSigned(file, offset));
    await fc.assert(
      fc.asyncProperty(change, fc.integer({ min: 1, max: 255 }), async ({ file, offset }, delta) => {
        const copies = { document: signed.slice(), certificate: certificate.slice() };
        const target = copies[file];
        target[offset] = ((target[offset] ?? 0) + delta) & 0xff;
        const report = await verifyEvidence(copies);
        expect(report.valid && checksOf(report).every((c) => c.ok)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('exits 1 on a timeline with one event edited', () => {
    const view = JSON.parse(readFileSync(timelinePath, 'utf8')) as {
      timeline: Array<{ type: string; data: Record<string, unknown> }>;
    };
    const opened = view.timeline.find((e) => e.type === 'opened');
    if (opened === undefined) throw new Error('no opened event in the demo’s timeline');
    opened.data = { ...opened.data, note: 'edited' };
    const path = join(out, 'edited-timeline.json');
    writeFileSync(path, JSON.stringify(view));
    const run = verify([signedPath, '--certificate', certificatePath, '--timeline', path, '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { checks: ReadonlyArray<{ name: string; ok: boolean }> };
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['timeline-chain']);
  });

  it('exits 2 on bad usage: unknown option, missing file, no document, --timeline alone, bad --lang', () => {
    for (const args of [
      [signedPath, '--bogus'],
      [join(out, 'absent.pdf')],
      [],
      [signedPath, timelinePath],
      [signedPath, '--timeline', timelinePath],
      [signedPath, '--lang', 'de'],
      [signedPath, '--certificate', join(out, 'absent.pdf')],
      [signedPath, '--certificate', certificatePath, '--timeline', signedPath],
    ]) {
      const run = verify(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout, args.join(' ')).toBe('');
      expect(run.stderr, args.join(' ')).toContain('Usage: paraphe-verify');
    }
  });
});
