import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

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
