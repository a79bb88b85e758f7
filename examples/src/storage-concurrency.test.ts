import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeAdjustableClock } from '@paraphe/adapters';
import { makePostgresStorage } from '@paraphe/adapters/postgres';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import type { Paraphe } from '@paraphe/app';
import type { Storage } from '@paraphe/domain';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSchema,
  describeOnPostgres,
  findPostgres,
  type SchemaScope,
} from '../../packages/adapters/src/storage/test-support/postgres-test-database.js';
import { readStorageState, storageProblems } from './test-support/storage-audit.js';
import { startScript } from './test-support/storage-child.js';
import {
  admin,
  makeStorageCrm,
  outcomeOf,
  right,
  SEND_EMAIL,
  type StorageChoice,
  type StorageCrm,
  seller,
  startStorageApp,
  TENANT,
} from './test-support/storage-world.js';

const DAY = 24 * 3600 * 1000;
const SENDS = 64;
const CREDITS = 10;
const quoteIds = (first: number, count: number) => Array.from({ length: count }, (_, i) => `q-${first + i}`);
const refusal = 'SEND_REFUSED:NO_CREDIT_AVAILABLE';

/** The outcome of a race of sends: exactly the credits went through, every other send was refused for credit. */
const expectCreditsLimitedTheRace = async (outcomes: ReadonlyArray<string>, storage: Storage) => {
  expect(outcomes.filter((o) => o === 'sent')).toHaveLength(CREDITS);
  expect(outcomes.filter((o) => o !== 'sent')).toStrictEqual(Array(SENDS - CREDITS).fill(refusal));
  const state = await readStorageState(storage, TENANT, quoteIds(0, SENDS));
  expect(storageProblems(state)).toStrictEqual([]);
  expect(state.balance).toStrictEqual({ purchased: CREDITS, available: 0, reserved: CREDITS, captured: 0 });
  expect(state.procedures).toHaveLength(CREDITS);
};

const openTenant = async (app: Paraphe, credits: number) => {
  await right(app.admin.activate(admin));
  await right(app.admin.orderCredits(admin, { quantity: credits, orderReference: 'PO-race' }));
};

/** `count` procedures sent and delivered (so they await the signer) from the given instances, in turn. */
const sendDue = async (crm: StorageCrm, apps: ReadonlyArray<Paraphe>, count: number) => {
  await openTenant(apps[0]!, count);
  const ids = quoteIds(0, count);
  for (const id of ids) await crm.addQuote(id);
  await Promise.all(
    ids.map((quoteId, i) => right(apps[i % apps.length]!.sender.send(seller, { quoteId, ...SEND_EMAIL }))),
  );
  // Hundreds of sends at once outrun their request's delivery budget: the worker sends the invitations left behind.
  await Promise.all(apps.map((app) => right(app.system.dispatchOutbox())));
};

/** After two sweepers ran on one due set: every credit came back exactly once. */
const expectEachCreditReleasedOnce = async (
  storage: Storage,
  count: number,
  swept: ReadonlyArray<number>,
) => {
  expect(swept.reduce((a, b) => a + b, 0)).toBe(count);
  const state = await readStorageState(storage, TENANT, quoteIds(0, count));
  expect(storageProblems(state)).toStrictEqual([]);
  expect(state.entries.filter((e) => e.kind === 'released')).toHaveLength(count);
  expect(state.balance).toStrictEqual({ purchased: count, available: count, reserved: 0, captured: 0 });
  expect(new Set(state.procedures.map((p) => p.status))).toStrictEqual(new Set(['expired']));
};

const config = await findPostgres();

describeOnPostgres('facade on PostgreSQL, many instances', config, (config) => {
  let scope: SchemaScope;
  let storage: Storage & { close: () => Promise<void> };
  let choice: StorageChoice;
  beforeEach(async () => {
    scope = await createSchema(config);
    storage = makePostgresStorage({ pool: scope.pool(2) });
    // search_path through the connection string's `options`, as a CRM would configure one instance.
    const { host = '127.0.0.1', port = 5432, database = 'test', user = 'postgres' } = config;
    const options = encodeURIComponent(`-c search_path=${scope.schema}`);
    choice = {
      kind: 'postgres',
      connectionString: `postgresql://${user}@${host}:${port}/${database}?options=${options}`,
    };
  });
  afterEach(async () => {
    await storage.close();
    await scope.drop();
  });

  it('64 sends from 8 app instances on 10 credits: exactly 10 go through, 54 are refused for credit', async () => {
    const crm: StorageCrm = makeStorageCrm();
    for (const id of quoteIds(0, SENDS)) await crm.addQuote(id);
    const apps = await Promise.all(
      Array.from({ length: 8 }, () => startStorageApp({ storage: choice, crm })),
    );
    try {
      await openTenant(apps[0]!.paraphe, CREDITS);
      const outcomes = await Promise.all(
        quoteIds(0, SENDS).map(async (quoteId, i) =>
          outcomeOf(await apps[i % 8]!.paraphe.sender.send(seller, { quoteId, ...SEND_EMAIL })()),
        ),
      );
      await expectCreditsLimitedTheRace(outcomes, storage);
    } finally {
      await Promise.all(apps.map((app) => app.paraphe.close()));
    }
  });

  it('two instances sweeping the same due procedures release each credit once', async () => {
    const crm = makeStorageCrm();
    const clocks = [makeAdjustableClock(new Date()), makeAdjustableClock(new Date())];
    const apps = await Promise.all(
      clocks.map((clock) => startStorageApp({ storage: choice, crm, fakePdf: true, adapters: { clock } })),
    );
    try {
      const [a, b] = apps.map((app) => app.paraphe) as [Paraphe, Paraphe];
      await sendDue(crm, [a, b], 300);
      for (const clock of clocks) clock.advanceBy(16 * DAY);
      const swept = await Promise.all([right(a.system.expireDue()), right(b.system.expireDue())]);
      await expectEachCreditReleasedOnce(storage, 300, swept);
      // Batches of 100 with SKIP LOCKED: each sweeper takes what the other has not locked.
      expect(Math.min(...swept)).toBeGreaterThan(0);
    } finally {
      await Promise.all(apps.map((app) => app.paraphe.close()));
    }
  });
});

describe('facade on SQLite, one file', () => {
  const directory = mkdtempSync(join(tmpdir(), 'paraphe-storage-race-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const worker = fileURLToPath(new URL('../scripts/storage-send-worker.ts', import.meta.url));
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const sendFromProcess = async (filename: string, first: number, count: number) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions=@paraphe/source', worker, filename, String(first), String(count)],
      { cwd: root },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
  };

  it('64 sends from 2 processes on 10 credits: exactly 10 go through, 54 are refused for credit', async () => {
    const filename = join(directory, 'race.db');
    const { paraphe } = await startStorageApp({ storage: { kind: 'sqlite', filename } });
    await openTenant(paraphe, CREDITS);
    await paraphe.close();
    const outcomes = (
      await Promise.all([
        sendFromProcess(filename, 0, SENDS / 2),
        sendFromProcess(filename, SENDS / 2, SENDS / 2),
      ])
    ).flat();
    const storage = makeSqliteStorage({ filename });
    try {
      await expectCreditsLimitedTheRace(outcomes, storage);
    } finally {
      await storage.close();
    }
  });

  it('two processes sweeping the same due procedures release each credit once', async () => {
    const filename = join(directory, 'sweep.db');
    const crm = makeStorageCrm();
    const { paraphe } = await startStorageApp({ storage: { kind: 'sqlite', filename }, crm, fakePdf: true });
    await sendDue(crm, [paraphe], 300);
    await paraphe.close();
    const later = new Date(Date.now() + 16 * DAY).toISOString();
    const sweepers = [0, 1].map(() => startScript('storage-sweep-worker.ts', [filename, later]));
    await Promise.all(sweepers.map((s) => s.waitForLine((line) => line === 'ready')));
    for (const sweeper of sweepers) sweeper.send('go');
    const swept = await Promise.all(
      sweepers.map(async (s) => Number((await s.waitForLine((l) => l.startsWith('expired '))).split(' ')[1])),
    );
    const storage = makeSqliteStorage({ filename });
    try {
      await expectEachCreditReleasedOnce(storage, 300, swept);
    } finally {
      await storage.close();
    }
  });
});
