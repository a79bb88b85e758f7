import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import * as O from 'fp-ts/lib/Option.js';
import { afterAll, describe, expect, it } from 'vitest';
import { assertRight } from '../test-support/run-work.js';
import { startBackgroundCheckpointer } from './sqlite-checkpointer.js';
import { makeSqliteStorage } from './sqlite-storage.js';

const run = promisify(execFile);
const unclosed = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test-support',
  'sqlite-unclosed-storage.ts',
);
const directory = mkdtempSync(join(tmpdir(), 'paraphe-sqlite-checkpointer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// In WAL mode committed pages reach the database file only through a checkpoint: its size tells whether one ran.
const fileSize = (filename: string) => statSync(filename).size;
const PAGE = 4096;
// Documents of four pages each: with their index entries, some 700 WAL frames in all.
const DOCUMENTS = 120;

const eventually = async (condition: () => boolean, what: string) => {
  const until = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const writer = (filename: string) => {
  const db = new BetterSqlite3(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table if not exists blobs (id integer primary key, bytes blob not null)');
  const insert = db.prepare('insert into blobs (bytes) values (?)');
  return {
    db,
    // One transaction per row, as units of work commit: every row is a frame or more of the WAL.
    write: (rows: number) => {
      for (let i = 0; i < rows; i++) insert.run(Buffer.alloc(PAGE, i % 251));
    },
  };
};

describe('background checkpointer', () => {
  it('copies the WAL into the database once enough frames wait, and stops when told', async () => {
    const filename = join(directory, 'module.db');
    const { db, write } = writer(filename);
    write(50);
    const before = fileSize(filename);
    const checkpointer = startBackgroundCheckpointer({ filename, thresholdFrames: 200, pollMs: 5 });
    // Under the threshold nothing is copied…
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(checkpointer.checkpoints()).toBe(0);
    expect(fileSize(filename)).toBe(before);
    // …over it, the pages reach the database file, with no checkpoint from the writer (its own are off).
    write(400);
    await eventually(() => fileSize(filename) >= before + 400 * PAGE, 'the background checkpoint');
    // The thread counts its checkpoints by message, which may land a moment after the pages did.
    await eventually(() => checkpointer.checkpoints() > 0, 'the count of the checkpoint');

    await checkpointer.stop();
    const stopped = fileSize(filename);
    write(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fileSize(filename)).toBe(stopped);
    expect((db.prepare('select count(*) as n from blobs').get() as { n: number }).n).toBe(850);
    db.close();
  });

  it("is the storage's default for a file: pages reach the file where SQLite's own threshold is not met", async () => {
    const filename = join(directory, 'storage.db');
    const storage = makeSqliteStorage({ filename });
    assertRight(await storage.migrate()());
    const initial = fileSize(filename);
    const pdf = Buffer.alloc(4 * PAGE, 7);
    // About 700 frames: past the background threshold (500), short of SQLite's (1,000) and the writer's (4,000).
    for (let i = 0; i < DOCUMENTS; i++)
      assertRight(await storage.unitOfWork((s) => s.documents.put(`p-${i}`, 'original', pdf))());
    // At least the first 500 frames were copied: their pages, most of them distinct, reached the file.
    await eventually(() => fileSize(filename) > initial + 200 * PAGE, 'the background checkpoint');
    await storage.close();

    const reopened = makeSqliteStorage({ filename, checkpoint: 'inline' });
    const last = assertRight(
      await reopened.unitOfWork((s) => s.documents.get(`p-${DOCUMENTS - 1}`, 'original'))(),
    );
    expect(O.isSome(last) && Buffer.compare(Buffer.from(last.value), pdf)).toBe(0);
    await reopened.close();
  });

  it('leaves the commits to checkpoint themselves when asked to (inline)', async () => {
    const filename = join(directory, 'inline.db');
    const storage = makeSqliteStorage({ filename, checkpoint: 'inline' });
    assertRight(await storage.migrate()());
    const initial = fileSize(filename);
    const pdf = Buffer.alloc(4 * PAGE, 7);
    // The same 700 frames: under SQLite's own threshold, so nothing reaches the file without a background thread.
    for (let i = 0; i < DOCUMENTS; i++)
      assertRight(await storage.unitOfWork((s) => s.documents.put(`p-${i}`, 'original', pdf))());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fileSize(filename)).toBe(initial);
    await storage.close();
  });

  it('never keeps alive a process that forgot to close its storage', async () => {
    const filename = join(directory, 'unclosed.db');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=@paraphe/source', unclosed, filename],
      { cwd: process.cwd(), timeout: 30_000 },
    );
    expect(stdout).toBe('written\n');
  }, 40_000);
});
