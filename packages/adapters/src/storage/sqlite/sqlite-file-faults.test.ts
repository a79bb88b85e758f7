import { existsSync, linkSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainError, StorageError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { at, T0 } from '../test-support/procedure-fixtures.js';
import { assertRight } from '../test-support/run-work.js';
import { simulateSend } from '../test-support/send-simulation.js';
import { auditSends, balances } from '../test-support/sqlite-fault-audit.js';
import { makeSqliteStorage, type SqliteStorage } from './sqlite-storage.js';

const TENANT = 'tenant-a';
type Outcomes = Map<string, E.Either<StorageError | DomainError, unknown>>;

const directory = mkdtempSync(join(tmpdir(), 'paraphe-sqlite-file-faults-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

/** A storage on a new file, with credits bought and `count` sends committed. */
const running = async (outcomes: Outcomes, count: number) => {
  const filename = join(directory, `faults-${files++}.db`);
  const storage = makeSqliteStorage({ filename });
  assertRight(
    await storage.unitOfWork((s) =>
      s.ledger.append([{ kind: 'purchased', tenantId: TENANT, quantity: 100, orderReference: 'po', at: T0 }]),
    )(),
  );
  for (let i = 0; i < count; i++) assertRight(await send(storage, outcomes, `before-${i}`));
  return { filename, storage };
};

const send = async (storage: SqliteStorage, outcomes: Outcomes, id: string) => {
  const result = await storage.unitOfWork((s) => simulateSend(s, TENANT, id, at(T0, outcomes.size)))();
  outcomes.set(id, result);
  return result;
};

/** Several sends at once (they share group commits), each answered. */
const sendTogether = (storage: SqliteStorage, outcomes: Outcomes, prefix: string, count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => send(storage, outcomes, `${prefix}-${i}`)));

const leftOf = (result: E.Either<StorageError | DomainError, unknown>) =>
  E.isLeft(result) ? result.left : 'committed';

const refusal = (reason: string) => ({ _tag: 'StorageBroken', reason, retryable: false });

const expectSound = async (filename: string, outcomes: Outcomes) => {
  const audit = await auditSends(filename, TENANT, outcomes);
  expect(audit.stored).toStrictEqual(audit.answeredCommitted);
  expect(audit.balance).toStrictEqual(audit.folded);
  expect(balances(audit.balance)).toBe(true);
  expect(audit.integrity).toBe('ok');
  return audit;
};

const DELETED = 'database file was deleted while the database was open';
const writesRefused = (what: string) =>
  `${what}: writes are refused, they would be lost; restart on the right file`;

describe('sqlite storage whose file is deleted or replaced under it', () => {
  it('the database file deleted: every later unit of work fails, none committed; at restart the file missing beside its WAL is refused; put back, it holds exactly what was answered committed', async () => {
    const outcomes: Outcomes = new Map();
    const { filename, storage } = await running(outcomes, 5);
    // A second name keeps the file's inode, as a backup would keep its content: the test can put it back.
    const kept = `${filename}.kept`;
    linkSync(filename, kept);
    rmSync(filename);
    const after = await sendTogether(storage, outcomes, 'after-delete', 8);
    const later = await send(storage, outcomes, 'later');
    await storage.close();
    for (const result of [...after, later])
      expect(leftOf(result)).toMatchObject(refusal(writesRefused(DELETED)));

    // SQLite leaves the WAL of a database whose file is gone: the next instance must not start over beside it.
    expect(existsSync(`${filename}-wal`)).toBe(true);
    const restarted = makeSqliteStorage({ filename });
    const refused = await send(restarted, outcomes, 'at-restart');
    await restarted.close();
    expect(leftOf(refused)).toMatchObject({ _tag: 'StorageBroken', retryable: false });
    expect(E.isLeft(refused) && (refused.left as StorageError).reason).toMatch(
      /^database file is missing but its -wal file is not/,
    );
    expect(existsSync(filename)).toBe(false);

    renameSync(kept, filename);
    const audit = await expectSound(filename, outcomes);
    expect(audit.stored).toStrictEqual(Array.from({ length: 5 }, (_, i) => `before-${i}`));
  });

  it('the WAL deleted: every later unit of work fails; closing copies what the WAL held, so every send answered committed is in the file', async () => {
    const outcomes: Outcomes = new Map();
    const { filename, storage } = await running(outcomes, 5);
    rmSync(`${filename}-wal`);
    const after = await sendTogether(storage, outcomes, 'after-delete', 8);
    await storage.close();
    for (const result of after)
      expect(leftOf(result)).toMatchObject(
        refusal(writesRefused('WAL file (-wal) was deleted while the database was open')),
      );
    const audit = await expectSound(filename, outcomes);
    expect(audit.stored).toHaveLength(5);
  });

  it('the database file replaced by another: every later unit of work fails; the file that was replaced keeps its own', async () => {
    const outcomes: Outcomes = new Map();
    const { filename, storage } = await running(outcomes, 3);
    const other = await running(new Map(), 1);
    await other.storage.close();
    const replaced = `${filename}.replaced`;
    linkSync(filename, replaced);
    renameSync(other.filename, filename);
    const after = await send(storage, outcomes, 'after-replace');
    await storage.close();
    expect(leftOf(after)).toMatchObject(
      refusal(writesRefused('database file was replaced while the database was open')),
    );
    renameSync(replaced, filename);
    expect((await expectSound(filename, outcomes)).stored).toHaveLength(3);
  });
});

describe('sqlite storage that must not create its database', () => {
  it('mustExist: a missing file is refused and not created; an existing one opens', async () => {
    const filename = join(directory, `missing-${files++}.db`);
    const storage = makeSqliteStorage({ filename, mustExist: true });
    const refused = await storage.unitOfWork((s) => s.ledger.balanceForUpdate(TENANT))();
    await storage.close();
    expect(leftOf(refused)).toMatchObject(refusal('database file does not exist (mustExist)'));
    expect(existsSync(filename)).toBe(false);

    const outcomes: Outcomes = new Map();
    const created = await running(outcomes, 2);
    await created.storage.close();
    const reopened = makeSqliteStorage({ filename: created.filename, mustExist: true });
    assertRight(await send(reopened, outcomes, 'reopened'));
    await reopened.close();
    expect((await expectSound(created.filename, outcomes)).stored).toHaveLength(3);
  });
});
