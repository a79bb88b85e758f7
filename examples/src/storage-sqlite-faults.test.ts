import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import type { Paraphe } from '@paraphe/app';
import type { DomainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { describeAsRoot, mountTmpfs } from '../../packages/adapters/src/storage/test-support/tmpfs.js';
import { readStorageState, storageProblems } from './test-support/storage-audit.js';
import { type ChildScript, startScript } from './test-support/storage-child.js';
import { openRawSqlite } from './test-support/storage-drivers.js';
import {
  admin,
  createStorageApp,
  outcomeOf,
  right,
  SEND_EMAIL,
  type StorageApp,
  type StorageAppOptions,
  seller,
  startStorageApp,
  TENANT,
} from './test-support/storage-world.js';

/** Every send's answer (`sent`, or the error code), by quote id. */
type Answers = Map<string, string>;

const appOptions = (filename: string, mustExist?: boolean): StorageAppOptions => ({
  storage: { kind: 'sqlite', filename, ...(mustExist === undefined ? {} : { mustExist }) },
  fakePdf: true,
  dispatch: 'manual',
});
const startOn = (filename: string, mustExist?: boolean) => startStorageApp(appOptions(filename, mustExist));
const createOn = (filename: string, mustExist?: boolean) => createStorageApp(appOptions(filename, mustExist));

const openTenant = async (paraphe: Paraphe, credits: number) => {
  await right(paraphe.admin.activate(admin));
  await right(paraphe.admin.orderCredits(admin, { quantity: credits, orderReference: 'PO-faults' }));
};

const send = async (app: StorageApp, answers: Answers, quoteId: string) => {
  await app.crm.addQuote(quoteId);
  const result = await app.paraphe.sender.send(seller, { quoteId, ...SEND_EMAIL })();
  answers.set(quoteId, outcomeOf(result));
  return result;
};

const errorOf = (result: E.Either<DomainError, unknown>) => (E.isLeft(result) ? result.left : 'sent');

/**
 * After a fault: the ledger balances and nothing is half-written (storage-audit.ts), exactly the sends answered
 * as sent are stored, and SQLite finds the file sound.
 */
const expectSound = async (filename: string, answers: Answers) => {
  const storage = makeSqliteStorage({ filename, mustExist: true });
  const state = await readStorageState(storage, TENANT, [...answers.keys()]).finally(() => storage.close());
  expect(storageProblems(state)).toStrictEqual([]);
  const { purchased, available, reserved, captured } = state.balance;
  expect(purchased).toBe(available + reserved + captured);
  const sent = [...answers].filter(([, answer]) => answer === 'sent').map(([quoteId]) => quoteId);
  expect(state.procedures.map((p) => p.quoteId).sort()).toStrictEqual(sent.sort());
  const raw = openRawSqlite(filename);
  expect(raw.prepare('pragma integrity_check').all()).toStrictEqual([{ integrity_check: 'ok' }]);
  raw.close();
  return sent.length;
};

describeAsRoot('facade on SQLite: a full disk, a file it cannot write', () => {
  it('sends on a full disk are STORAGE_FULL (retryable); once space is freed the next send goes through', async () => {
    const disk = mountTmpfs('4m');
    const filename = join(disk.dir, 'full.db');
    const answers: Answers = new Map();
    let full: DomainError | undefined;
    try {
      const app = await startOn(filename);
      try {
        await openTenant(app.paraphe, 10_000);
        disk.fill(512 * 1024);
        while (full === undefined && answers.size < 10_000) {
          const result = await send(app, answers, `q-${answers.size}`);
          if (E.isLeft(result)) full = result.left;
        }
        disk.free();
        expect(errorOf(await send(app, answers, 'q-after-freeing'))).toBe('sent');
      } finally {
        await app.paraphe.close();
      }
      expect(full).toMatchObject({ code: 'STORAGE_FULL', details: { retryable: true } });
      const sent = await expectSound(filename, answers);
      expect(sent).toBeGreaterThan(1);
      console.info(
        `full disk: ${sent - 1} sends, then ${JSON.stringify(full?.details)}; sent after freeing space`,
      );
    } finally {
      disk.unmount();
    }
  });

  it('a file the process cannot write: the app does not start, saying so; once it can, the same process starts and sends', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'paraphe-read-only-'));
    let worker: ChildScript | undefined;
    try {
      // Root writes whatever the permissions say: the instance runs as `nobody`, in a directory it may write
      // (SQLite creates the -wal and -shm there), on a database file owned by root, mode 0644.
      chmodSync(directory, 0o777);
      const filename = join(directory, 'read-only.db');
      const answers: Answers = new Map();
      const setup = await startOn(filename);
      await openTenant(setup.paraphe, 10);
      expect(errorOf(await send(setup, answers, 'q-before'))).toBe('sent');
      await setup.paraphe.close();

      const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
      const nogroup = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
      const child = startScript('storage-fault-worker.ts', [filename], { uid: nobody, gid: nogroup });
      worker = child;
      const sendFromWorker = async (quoteId: string) => {
        child.send(`send ${quoteId}`);
        const line = await child.waitForLine((l) => l.includes(`"quoteId":"${quoteId}"`));
        const answer = JSON.parse(line) as { outcome: string; details: Record<string, unknown> };
        answers.set(quoteId, answer.outcome);
        return answer;
      };
      await child.waitForLine((line) => line === 'ready');
      // createParaphe opens and migrates the database: a file it cannot write fails the start, not a later send.
      child.send('start');
      const refused = await child.waitForLine((line) => line.startsWith('{"code"'));
      expect(JSON.parse(refused)).toMatchObject({
        code: 'STORAGE_FAILURE',
        details: { reason: 'database file is read-only', retryable: false },
      });
      chownSync(filename, nobody, nogroup);
      child.send('start');
      await child.waitForLine((line) => line === '{"started":true}');
      expect((await sendFromWorker('q-writable')).outcome).toBe('sent');
      child.send('quit');
      expect(await child.exited).toBe(0);
      expect(await expectSound(filename, answers)).toBe(2);
    } finally {
      worker?.process.kill();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('facade on SQLite: the database file deleted under a running instance', () => {
  const directory = mkdtempSync(join(tmpdir(), 'paraphe-deleted-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('sends fail loudly from then on; the restart is refused beside the leftover WAL, and with mustExist; put back, the file holds exactly the sends answered as sent', async () => {
    const filename = join(directory, 'deleted.db');
    const answers: Answers = new Map();
    const app = await startOn(filename);
    await openTenant(app.paraphe, 100);
    for (let i = 0; i < 3; i++) expect(errorOf(await send(app, answers, `q-before-${i}`))).toBe('sent');
    // A second name keeps the file's inode (as a backup keeps its content), for the test to put it back.
    linkSync(filename, `${filename}.kept`);
    rmSync(filename);
    const after = await Promise.all(Array.from({ length: 4 }, (_, i) => send(app, answers, `q-after-${i}`)));
    await app.paraphe.close();
    for (const result of after)
      expect(errorOf(result)).toMatchObject({
        code: 'STORAGE_FAILURE',
        details: {
          reason:
            'database file was deleted while the database was open: writes are refused, they would be lost; ' +
            'restart on the right file',
          retryable: false,
        },
      });

    // createParaphe opens the database: the restart is refused, not a later send.
    const restarted = await createOn(filename);
    expect(errorOf(restarted)).toMatchObject({ code: 'STORAGE_FAILURE', details: { retryable: false } });
    expect(E.isLeft(restarted) && String(restarted.left.details?.reason)).toMatch(
      /^database file is missing but its -wal file is not/,
    );
    // The operator moves the WAL away: with mustExist the instance still does not start over on an empty file.
    renameSync(`${filename}-wal`, `${filename}-wal.kept`);
    expect(errorOf(await createOn(filename, true))).toMatchObject({
      code: 'STORAGE_FAILURE',
      details: { reason: 'database file does not exist (mustExist)', retryable: false },
    });
    expect(existsSync(filename)).toBe(false);

    renameSync(`${filename}.kept`, filename);
    renameSync(`${filename}-wal.kept`, `${filename}-wal`);
    const restored = await startOn(filename, true);
    expect(errorOf(await send(restored, answers, 'q-restored'))).toBe('sent');
    await restored.paraphe.close();
    expect(await expectSound(filename, answers)).toBe(4);
  });
});
