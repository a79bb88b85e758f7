import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'paraphe-worker-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('the worker entry point', () => {
  it('runs the periodic jobs until SIGTERM, then finishes its run and exits 0', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@paraphe/source',
        'examples/src/worker.ts',
        '--database',
        join(directory, 'w.db'),
        '--interval',
        '50',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const runs = new Promise<void>((resolve) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        if (lines.filter((l) => l.startsWith('{')).length >= 3) resolve();
      });
    });
    await runs;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const reports = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { ok: boolean });
    expect(reports.every((r) => r.ok)).toBe(true);
    expect(lines.at(-1)).toBe('worker stopped');
  });
});
