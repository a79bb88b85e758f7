import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makePostgresStorage } from '@paraphe/adapters/postgres';
import {
  connectionStringFor,
  createSchema,
  type SchemaScope,
} from '../../../packages/adapters/src/storage/test-support/postgres-test-database.js';
import { readStorageState, type StorageState } from './storage-audit.js';
import { type ChildScript, startScript } from './storage-child.js';
import { admin, right, startStorageApp, TENANT } from './storage-world.js';

/** The test server's connection settings (pg's ClientConfig: the examples do not depend on pg themselves). */
export type PostgresConfig = Parameters<typeof createSchema>[0];

/** What storage-postgres-load-worker.ts prints for each call it made. */
export interface CallLine {
  readonly instance: string;
  readonly op: 'send' | 'open' | 'requestCode' | 'verifyCode' | 'sign';
  readonly quoteId?: string;
  readonly idempotencyKey?: string;
  readonly procedureId?: string;
  /** Epoch milliseconds when the call was made and when it answered. */
  readonly start: number;
  readonly end: number;
  /** `ok`, or the error code. */
  readonly outcome: string;
  readonly retryable?: boolean;
}

/** A moment the app instances lost the server: a kill's sessions were gone, or a restarted server was back. */
export interface Disruption {
  readonly what: string;
  readonly at: number;
}

export interface FaultRun {
  /** Every app instance's sessions carry this application_name. */
  readonly applicationName: string;
  readonly workers: ReadonlyArray<{ readonly instance: string; readonly script: ChildScript }>;
  /** The calls every instance reported so far. */
  readonly calls: () => ReadonlyArray<CallLine>;
  /** Resolves once every instance has had a call succeed after `since`. */
  readonly eachSucceeded: (since: number) => Promise<void>;
  /** Instances whose process ended, with how. */
  readonly ended: () => ReadonlyArray<string>;
  /** Tells every instance to stop; resolves with how each process ended (an exit code, or a signal). */
  readonly stop: () => Promise<ReadonlyArray<number | string>>;
  /** Reads everything stored for the run's quotes, through the storage port. */
  readonly audit: () => Promise<StorageState>;
  readonly close: () => Promise<void>;
}

const INSTANCES = ['a', 'b'];
const CREDITS = 1_000_000;

const callsOf = (script: ChildScript): ReadonlyArray<CallLine> =>
  script.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as CallLine);

/**
 * Two app instances on a fresh schema of the test server, each in its own process running a load of sends and
 * signer flows (storage-postgres-load-worker.ts), on a tenant with enough credits for all of them.
 */
export const startFaultRun = async (config: PostgresConfig): Promise<FaultRun> => {
  const scope: SchemaScope = await createSchema(config);
  const applicationName = `paraphe_${scope.schema}`;
  const directory = mkdtempSync(join(tmpdir(), 'paraphe-postgres-faults-'));
  const connectionString = connectionStringFor(config, scope.schema, applicationName);
  // The instances take seconds to start (a Node process each): the tenant is opened meanwhile.
  const workers = INSTANCES.map((instance) => {
    const mailLog = join(directory, `mail-${instance}.log`);
    writeFileSync(mailLog, '');
    return {
      instance,
      script: startScript('storage-postgres-load-worker.ts', [connectionString, instance, mailLog]),
    };
  });
  // Under another application_name, so that no kill can hit it.
  const setup = await startStorageApp({
    storage: {
      kind: 'postgres',
      connectionString: connectionStringFor(config, scope.schema, 'paraphe_setup'),
    },
    fakePdf: true,
  });
  await right(setup.paraphe.admin.activate(admin));
  await right(setup.paraphe.admin.orderCredits(admin, { quantity: CREDITS, orderReference: 'PO-faults' }));
  await setup.paraphe.close();
  await Promise.all(workers.map(({ script }) => script.waitForLine((line) => line === 'ready')));
  for (const { script } of workers) script.send('go');
  const calls = () => workers.flatMap(({ script }) => callsOf(script));
  const ended = () =>
    workers.flatMap(({ instance, script }) =>
      script.process.exitCode === null && script.process.signalCode === null
        ? []
        : [`${instance}: ${script.process.exitCode ?? script.process.signalCode}`],
    );
  return {
    applicationName,
    workers,
    calls,
    eachSucceeded: async (since) => {
      const succeeded = (instance: string) =>
        calls().some((c) => c.instance === instance && c.start >= since && c.outcome === 'ok');
      while (!INSTANCES.every(succeeded)) {
        if (ended().length > 0) throw new Error(`app instances ended: ${ended().join(', ')}`);
        await sleep(20);
      }
    },
    ended,
    stop: async () => {
      for (const { script } of workers) script.send('stop');
      return Promise.all(
        workers.map(({ script }) => Promise.race([script.exited, sleep(20_000, 'still running after stop')])),
      );
    },
    audit: async () => {
      const storage = makePostgresStorage({ pool: scope.pool(2) });
      const quoteIds = calls().flatMap((c) =>
        c.op === 'send' && c.quoteId !== undefined ? [c.quoteId] : [],
      );
      try {
        return await readStorageState(storage, TENANT, quoteIds);
      } finally {
        await storage.close();
      }
    },
    close: async () => {
      for (const { script } of workers) script.process.kill('SIGKILL');
      await scope.drop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
};

/**
 * How long each instance took to answer a call made after each disruption with a success: from the disruption to
 * the end of that call (undefined when none was made).
 */
export const recoveries = (
  calls: ReadonlyArray<CallLine>,
  disruptions: ReadonlyArray<Disruption>,
): ReadonlyArray<{ readonly what: string; readonly instance: string; readonly ms: number | undefined }> =>
  disruptions.flatMap(({ what, at }) =>
    INSTANCES.map((instance) => {
      const first = calls
        .filter((c) => c.instance === instance && c.start >= at && c.outcome === 'ok')
        .sort((x, y) => x.end - y.end)[0];
      return { what, instance, ms: first === undefined ? undefined : first.end - at };
    }),
  );

/**
 * Answers the store contradicts: a send answered Right whose procedure is not stored, a send answered with an error
 * (other than STORAGE_OUTCOME_UNKNOWN) whose procedure is; a signature answered Right that is not stored, or one
 * only ever refused with such errors that is.
 */
export const contradictions = (
  calls: ReadonlyArray<CallLine>,
  state: StorageState,
): ReadonlyArray<string> => {
  const byKey = new Map(state.procedures.map((p) => [p.idempotencyKey, p]));
  const status = new Map(state.procedures.map((p) => [p.id, p.status]));
  const found: string[] = [];
  for (const c of calls.filter((call) => call.op === 'send')) {
    const stored = byKey.has(c.idempotencyKey);
    if (c.outcome === 'ok' && !stored) found.push(`send ${c.idempotencyKey} answered ok, not stored`);
    if (c.outcome !== 'ok' && c.outcome !== 'STORAGE_OUTCOME_UNKNOWN' && stored)
      found.push(`send ${c.idempotencyKey} answered ${c.outcome}, stored`);
  }
  const signs = new Map<string | undefined, CallLine[]>();
  for (const call of calls.filter((c) => c.op === 'sign'))
    signs.set(call.procedureId, [...(signs.get(call.procedureId) ?? []), call]);
  for (const [id, answers] of signs) {
    const signed = status.get(id ?? '') === 'signed';
    if (answers.some((a) => a.outcome === 'ok') && !signed) found.push(`sign ${id} answered ok, not signed`);
    if (answers.every((a) => a.outcome !== 'ok' && a.outcome !== 'STORAGE_OUTCOME_UNKNOWN') && signed)
      found.push(`sign ${id} answered ${answers.map((a) => a.outcome).join(', ')}, signed`);
  }
  return found;
};

/** The run's figures, one line each: calls, failures by code, recoveries, what was stored. */
export const figures = (
  calls: ReadonlyArray<CallLine>,
  disruptions: ReadonlyArray<Disruption & { readonly ended?: number }>,
  recovered: ReturnType<typeof recoveries>,
  state: StorageState,
): string => {
  const count = (items: ReadonlyArray<string>): string => {
    const counts: Record<string, number> = {};
    for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
    return JSON.stringify(counts);
  };
  const failed = calls.filter((c) => c.outcome !== 'ok');
  const unknown = failed.filter((c) => c.outcome === 'STORAGE_OUTCOME_UNKNOWN');
  const keys = new Set(state.procedures.map((p) => p.idempotencyKey));
  const storedAfter = (c: CallLine): string =>
    c.op === 'send' ? (keys.has(c.idempotencyKey) ? 'stored' : 'not stored') : 'a signer step';
  const times = recovered.flatMap((r) => (r.ms === undefined ? [] : [r.ms])).sort((a, b) => a - b);
  return [
    `disruptions: ${disruptions.map((d) => `${d.what}${d.ended === undefined ? '' : ` (${d.ended} sessions)`}`).join(', ')}`,
    `calls: ${calls.length} ${count(calls.map((c) => `${c.instance}.${c.op}`))}`,
    `failures: ${failed.length} ${count(failed.map((c) => `${c.op} ${c.outcome}${c.retryable ? ' (retryable)' : ''}`))}`,
    `outcome unknown: ${unknown.length} ${unknown.map((c) => `${c.instance}.${c.op} ${c.idempotencyKey ?? c.procedureId} (${storedAfter(c)})`).join(', ')}`,
    `recovery (ms, first success of a call made after a disruption): median ${times[Math.floor(times.length / 2)]}, ` +
      `worst ${times.at(-1)}; ${recovered.map((r) => `${r.what}/${r.instance} ${r.ms}`).join(', ')}`,
    `stored: ${state.procedures.length} procedures ${count(state.procedures.map((p) => p.status))}; ` +
      `balance ${JSON.stringify(state.balance)}`,
    `invitations given up: ${count(
      state.procedures.flatMap((p) =>
        p.events.flatMap((e) => (e.type === 'invitation_failed' ? [String(e.data.reason)] : [])),
      ),
    )}`,
  ].join('\n');
};
