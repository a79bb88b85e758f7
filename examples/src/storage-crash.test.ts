import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { readStorageState, storageProblems } from './test-support/storage-audit.js';
import { startScript } from './test-support/storage-child.js';
import { openRawSqlite } from './test-support/storage-drivers.js';
import { admin, right, startStorageApp, TENANT } from './test-support/storage-world.js';

const KILLS = 5;
const linesOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('facade on SQLite, killed at random points', () => {
  const directory = mkdtempSync(join(tmpdir(), 'paraphe-storage-crash-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('after SIGKILLs and a restart: the ledger balances, nothing is half-written, every invitation left', async () => {
    const filename = join(directory, 'crash.db');
    const mailLog = join(directory, 'mail.log');
    const quoteLog = join(directory, 'quotes.log');
    writeFileSync(mailLog, '');
    writeFileSync(quoteLog, '');
    const { paraphe } = await startStorageApp({ storage: { kind: 'sqlite', filename }, fakePdf: true });
    await right(paraphe.admin.activate(admin));
    await right(paraphe.admin.orderCredits(admin, { quantity: 5, orderReference: 'PO-start' }));
    await paraphe.close();

    const delays: number[] = [];
    for (let run = 0; run < KILLS; run++) {
      const started = Date.now();
      const worker = startScript('storage-crash-worker.ts', [
        'work',
        filename,
        mailLog,
        quoteLog,
        String(run),
      ]);
      await worker.waitForLine((line) => line === 'ready');
      const delay = 150 + Math.floor(Math.random() * 1500);
      delays.push(delay);
      console.info(`worker ${run} ready after ${Date.now() - started} ms`);
      // A worker that stopped on its own (an error) would make the kill meaningless: it must still be running.
      const early = await Promise.race([worker.exited, sleep(delay, 'running' as const)]);
      expect(early, `worker ${run} ended by itself: ${worker.lines.join('\n')}`).toBe('running');
      worker.process.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');
    }

    // The restart happens after every outbox claim of the killed workers has lapsed (leases last 5 minutes).
    const later = new Date(Date.now() + 10 * 60_000).toISOString();
    const recovery = startScript('storage-crash-worker.ts', ['recover', filename, mailLog, quoteLog, later]);
    await recovery.waitForLine((line) => line.startsWith('recovered '));
    expect(await recovery.exited).toBe(0);

    const quoteIds = linesOf(quoteLog);
    const storage = makeSqliteStorage({ filename });
    const state = await readStorageState(storage, TENANT, quoteIds).finally(() => storage.close());
    expect(storageProblems(state)).toStrictEqual([]);

    // Every procedure row is one of the logged quotes' (which were all decoded above).
    const raw = openRawSqlite(filename);
    const rows = raw.prepare('select id from procedures').all() as ReadonlyArray<{ id: string }>;
    raw.close();
    expect(rows.map((r) => r.id).sort()).toStrictEqual(state.procedures.map((p) => p.id).sort());

    // Every committed invitation was delivered at least once, and nothing is left waiting in the outbox.
    const delivered = new Set(linesOf(mailLog));
    const undelivered = state.procedures.filter((p) => !delivered.has(`${p.id}.invitation`)).map((p) => p.id);
    expect(undelivered).toStrictEqual([]);
    expect(state.outbox.filter((r) => r.status === 'pending').map((r) => r.message.id)).toStrictEqual([]);
    expect(state.procedures.filter((p) => p.status === 'pending')).toStrictEqual([]);

    const statuses = new Map<string, number>();
    for (const p of state.procedures) statuses.set(p.status, (statuses.get(p.status) ?? 0) + 1);
    console.info(
      `crash test: kills after ${delays.join(', ')} ms; ${state.procedures.length} procedures ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `${linesOf(mailLog).length} deliveries for ${delivered.size} emails; ${recovery.lines.at(-1)}`,
    );
    expect(state.procedures.length).toBeGreaterThan(KILLS);
  });
});
