import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { assertRight } from '../test-support/run-work.js';
import { buyCredits, expectExactlySent } from '../test-support/send-race.js';
import { makeSqliteStorage } from './sqlite-storage.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, '..', 'test-support', 'sqlite-send-worker.ts');
const directory = mkdtempSync(join(tmpdir(), 'paraphe-sqlite-race-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const sendFromProcess = async (filename: string, first: number, count: number): Promise<string[]> => {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=@paraphe/source', worker, filename, String(first), String(count)],
    { cwd: process.cwd() },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
};

describe('sqlite across processes', () => {
  it('64 sends from 2 processes on one file with 10 credits: exactly 10 go through', async () => {
    const filename = join(directory, 'race.db');
    const storage = makeSqliteStorage({ filename });
    assertRight(await storage.migrate()());
    await buyCredits(storage, 'tenant-a', 10);
    const outcomes = (
      await Promise.all([sendFromProcess(filename, 0, 32), sendFromProcess(filename, 32, 32)])
    ).flat();
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(10);
    expect(outcomes.filter((o) => o !== 'sent')).toStrictEqual(Array(54).fill('NO_CREDIT_AVAILABLE'));
    await expectExactlySent(storage, 'tenant-a', 10, 64);
    await storage.close();
  }, 60_000);
});
