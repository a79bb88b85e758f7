import { join } from 'node:path';
import type { DomainError, StorageError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { at, T0 } from '../test-support/procedure-fixtures.js';
import { assertRight } from '../test-support/run-work.js';
import { simulateSend } from '../test-support/send-simulation.js';
import { auditSends, balances } from '../test-support/sqlite-fault-audit.js';
import { describeAsRoot, mountTmpfs, type Tmpfs } from '../test-support/tmpfs.js';
import { makeSqliteStorage, type SqliteStorage } from './sqlite-storage.js';

const TENANT = 'tenant-a';
type Outcomes = Map<string, E.Either<StorageError | DomainError, unknown>>;

const purchase = (storage: SqliteStorage, quantity: number) =>
  storage.unitOfWork((s) =>
    s.ledger.append([{ kind: 'purchased', tenantId: TENANT, quantity, orderReference: 'po-1', at: T0 }]),
  )();

/** One send in its own unit of work, its answer recorded under the procedure id. */
const send = async (storage: SqliteStorage, outcomes: Outcomes, id: string) => {
  const result = await storage.unitOfWork((s) => simulateSend(s, TENANT, id, at(T0, outcomes.size)))();
  outcomes.set(id, result);
  return result;
};

const expectSound = async (filename: string, outcomes: Outcomes) => {
  const audit = await auditSends(filename, TENANT, outcomes);
  expect(audit.stored).toStrictEqual(audit.answeredCommitted);
  expect(audit.balance).toStrictEqual(audit.folded);
  expect(balances(audit.balance)).toBe(true);
  expect(audit.integrity).toBe('ok');
  return audit;
};

describeAsRoot('sqlite storage on a disk that fills up or turns read-only (a tmpfs of 4 MB)', () => {
  let disk: Tmpfs;
  beforeEach(() => {
    disk = mountTmpfs('4m');
  });
  afterEach(() => disk.unmount());

  it('a full disk: the send whose commit does not fit is StorageFull, retryable; once space is freed the next commits', async () => {
    const filename = join(disk.dir, 'full.db');
    const storage = makeSqliteStorage({ filename });
    const outcomes: Outcomes = new Map();
    let full: StorageError | DomainError | undefined;
    try {
      assertRight(await purchase(storage, 100_000));
      disk.fill(256 * 1024);
      while (full === undefined && outcomes.size < 10_000) {
        const result = await send(storage, outcomes, `send-${outcomes.size}`);
        if (E.isLeft(result)) full = result.left;
      }
      disk.free();
      assertRight(await send(storage, outcomes, 'after-freeing'));
    } finally {
      await storage.close();
    }
    // A send is a few pages: the commit writing them to the WAL is what meets the full disk.
    expect(full).toMatchObject({ _tag: 'StorageFull', reason: 'commit failed', retryable: true });
    const audit = await expectSound(filename, outcomes);
    expect(audit.stored.length).toBeGreaterThan(1);
    console.info(`full disk: ${audit.stored.length - 1} sends, then ${JSON.stringify(full)}`);
  });

  it('a unit of work larger than the page cache on a full disk: StorageFull names its statement, and the others of its group lose their writes with it', async () => {
    const filename = join(disk.dir, 'spill.db');
    const storage = makeSqliteStorage({ filename });
    const outcomes: Outcomes = new Map();
    let results: ReadonlyArray<E.Either<StorageError | DomainError, unknown>>;
    try {
      assertRight(await purchase(storage, 10));
      // 20 MB do not fit the 16 MB page cache: SQLite writes pages to the WAL before the commit, meets the full
      // disk in the statement and rolls the whole transaction back. The first send pauses inside its unit of
      // work, so that the two others start meanwhile and run in its transaction.
      const big = new Uint8Array(20 * 1024 * 1024);
      results = await Promise.all([
        send(storage, outcomes, 'grouped-before'),
        storage.unitOfWork((s) => s.documents.put('big', 'original', big))(),
        send(storage, outcomes, 'grouped-after'),
      ]);
      assertRight(await send(storage, outcomes, 'alone-after'));
    } finally {
      await storage.close();
    }
    expect(results.map((r) => (E.isLeft(r) ? r.left : 'ok'))).toMatchObject([
      { _tag: 'StorageFull', reason: 'rolled back with its group: store document failed' },
      { _tag: 'StorageFull', reason: 'store document', retryable: true },
      'ok',
    ]);
    await expectSound(filename, outcomes);
  });

  it('a read-only file system: the open is refused, saying so; the same storage opens once it is writable', async () => {
    const filename = join(disk.dir, 'read-only.db');
    const outcomes: Outcomes = new Map();
    const before = makeSqliteStorage({ filename });
    assertRight(await purchase(before, 10));
    assertRight(await send(before, outcomes, 'before'));
    await before.close();

    disk.remount('ro');
    const storage = makeSqliteStorage({ filename });
    try {
      const refused = await send(storage, outcomes, 'while-read-only');
      expect(E.isLeft(refused) && refused.left).toMatchObject({
        _tag: 'StorageBroken',
        reason: 'database file is read-only (read-only file system)',
        retryable: false,
      });
      disk.remount('rw');
      assertRight(await send(storage, outcomes, 'writable-again'));
    } finally {
      await storage.close();
    }
    await expectSound(filename, outcomes);
  });
});
