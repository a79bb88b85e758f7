import { createRequire } from 'node:module';
import {
  type AdjustableClock,
  type InMemoryCrm,
  type InMemoryMailer,
  type InMemorySmsSender,
  makeAdjustableClock,
  makeInMemoryCrm,
  makeInMemoryMailer,
  makeInMemorySmsSender,
} from '@paraphe/adapters';
import { makePadesDocumentSealer, makePdfCertificateRenderer } from '@paraphe/adapters/pdf';
import type {
  CertificateRenderer,
  DocumentSealer,
  DomainError,
  StorageError,
  UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createParaphe, type Paraphe } from '../src/create-paraphe.js';
import { makeQuotePdf, sealingConfig } from '../src/test-support/harness.js';

// The drivers are the adapters' dependencies: the raw baselines load the very same modules the storages use.
const fromAdapters = createRequire(new URL('../../adapters/package.json', import.meta.url));

export interface SqliteStatement {
  readonly run: (...params: unknown[]) => unknown;
  readonly all: (...params: unknown[]) => unknown[];
  readonly get: (...params: unknown[]) => unknown;
}
export interface RawSqlite {
  readonly prepare: (sql: string) => SqliteStatement;
  readonly exec: (sql: string) => void;
  readonly pragma: (pragma: string) => unknown;
  readonly close: () => void;
}
export const openRawSqlite = (filename: string): RawSqlite => {
  const Database = fromAdapters('better-sqlite3') as new (filename: string) => RawSqlite;
  const db = new Database(filename);
  // The storage's own settings (sqlite-storage.ts), so that the baseline pays what it pays.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
};

/** A query's text, or a named prepared statement (parsed once per connection). */
export type PgQuery = string | { readonly name: string; readonly text: string; readonly values: unknown[] };
export interface PgClient {
  readonly query: (query: PgQuery, values?: unknown[]) => Promise<{ readonly rows: ReadonlyArray<unknown> }>;
  readonly release: () => void;
}
export interface PgPool {
  readonly connect: () => Promise<PgClient>;
  readonly query: PgClient['query'];
  readonly end: () => Promise<void>;
}
const pg = fromAdapters('pg') as { readonly Pool: new (config: object) => PgPool };

export const PG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  database: process.env.PGDATABASE ?? 'test',
  user: process.env.PGUSER ?? 'postgres',
};
export const pgPool = (schema: string | undefined, max: number): PgPool =>
  new pg.Pool({ ...PG, max, ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }) });
export const pgConnectionString = (schema: string) =>
  `postgresql://${PG.user}@${PG.host}:${PG.port}/${PG.database}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/** Whether PostgreSQL answers; the bench prints SQLite figures only when it does not. */
export const postgresReachable = async (): Promise<boolean> => {
  const pool = pgPool(undefined, 1);
  try {
    await pool.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await pool.end();
  }
};

/** Runs `lanes` loops at once until `total` operations are done; returns operations per second. */
export const rate = async (
  total: number,
  lanes: number,
  op: (i: number) => Promise<unknown>,
): Promise<number> => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = next++; i < total; i = next++) await op(i);
    }),
  );
  return (total / (performance.now() - started)) * 1000;
};

export const timeMs = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/** A step that must succeed: a facade call (DomainError) or a storage call (StorageError). */
export const must = async <A>(task: TE.TaskEither<DomainError | StorageError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`bench step failed: ${JSON.stringify(result.left)}`);
  return result.right;
};

/** Trivial stand-ins for sealing and the certificate: they isolate the cost of storage from PDF work. */
const fakeSealer: DocumentSealer = {
  inspect: () => TE.right({ pageCount: 1 }),
  seal: (request) => TE.right(new Uint8Array([...request.document, 0x25, 0x25])),
};
const fakeCertificates: CertificateRenderer = {
  render: (data) => TE.right(new Uint8Array(Buffer.from(`%PDF certificate ${data.procedureId}`))),
};

export type StorageConfig =
  | { readonly kind: 'sqlite'; readonly filename: string }
  | { readonly kind: 'postgres'; readonly connectionString: string };

export interface BenchApp {
  readonly paraphe: Paraphe;
  readonly crm: InMemoryCrm;
  readonly mailer: InMemoryMailer;
  readonly sms: InMemorySmsSender;
  readonly clock: AdjustableClock;
  readonly admin: (tenantId: string) => UserActor;
  readonly seller: (tenantId: string) => UserActor;
  /** Activates the tenants and gives each of them `credits`. */
  readonly openTenants: (tenantIds: ReadonlyArray<string>, credits: number) => Promise<void>;
  /** A quote of `tenantId` the CRM knows, with a complete contact. */
  readonly addQuote: (tenantId: string, quoteId: string) => void;
  readonly tokenFor: (procedureId: string) => string;
  readonly lastCode: (procedureId: string) => string;
}

let quotePdf: Promise<Uint8Array> | undefined;

export const startBenchApp = async (options: {
  readonly storage: StorageConfig;
  readonly pdf: 'real' | 'fake';
  readonly dispatch: 'after-each-change' | 'manual';
  readonly start?: Date;
  /** A CRM webhook on loopback, told every status change beside the in-memory CRM. */
  readonly webhookUrl?: string;
}): Promise<BenchApp> => {
  const crm = makeInMemoryCrm();
  const mailer = makeInMemoryMailer();
  const sms = makeInMemorySmsSender();
  const clock = makeAdjustableClock(options.start ?? new Date());
  const sealer = options.pdf === 'real' ? await sealingConfig() : undefined;
  const created = await createParaphe({
    crm,
    notifier: crm,
    config: {
      signingBaseUrl: 'https://crm.example.com/sign/',
      secretKey: 'bench-secret-key-0123456789abcdef-0123',
      storage: options.storage,
      dispatch: options.dispatch,
      ...(options.webhookUrl === undefined
        ? {}
        : {
            webhook: { url: options.webhookUrl, secret: 'bench-webhook-secret', allowPrivateNetwork: true },
          }),
    },
    adapters: {
      clock,
      mailer,
      sms,
      sealer: sealer === undefined ? fakeSealer : makePadesDocumentSealer(sealer),
      certificates: sealer === undefined ? fakeCertificates : makePdfCertificateRenderer(sealer),
    },
  });
  if (E.isLeft(created)) throw new Error(created.left.code);
  const paraphe = created.right;
  quotePdf ??= makeQuotePdf();
  const pdf = await quotePdf;
  const admin = (tenantId: string): UserActor => ({ kind: 'user', tenantId, userId: 'alice', role: 'admin' });
  const seller = (tenantId: string): UserActor => ({ kind: 'user', tenantId, userId: 'bob', role: 'user' });
  return {
    paraphe,
    crm,
    mailer,
    sms,
    clock,
    admin,
    seller,
    openTenants: async (tenantIds, credits) => {
      for (const tenantId of tenantIds) {
        crm.putUser(tenantId, { id: 'bob', name: 'Bob Leroy', email: 'bob@acme.example' });
        await must(paraphe.admin.activate(admin(tenantId)));
        await must(
          paraphe.admin.orderCredits(admin(tenantId), { quantity: credits, orderReference: 'bench' }),
        );
      }
    },
    addQuote: (tenantId, quoteId) =>
      crm.putQuote({
        id: quoteId,
        tenantId,
        number: `D-${quoteId}`,
        ownerId: 'bob',
        contact: {
          id: `c-${quoteId}`,
          firstName: 'Claire',
          lastName: 'Martin',
          email: 'claire.martin@example.fr',
          mobile: '06 12 34 56 78',
        },
        document: { fileName: `${quoteId}.pdf`, bytes: pdf },
      }),
    tokenFor: (procedureId) => {
      const link = mailer.sent.find((m) => m.procedureId === procedureId && m.kind === 'invitation')?.template
        ?.signingLink;
      if (link === undefined) throw new Error(`no invitation for ${procedureId}`);
      return link.slice(link.lastIndexOf('/') + 1);
    },
    lastCode: (procedureId) => {
      const text = [...sms.sent].reverse().find((m) => m.procedureId === procedureId)?.text;
      const code = text?.match(/\d{6}/)?.[0];
      if (code === undefined) throw new Error(`no code for ${procedureId}`);
      return code;
    },
  };
};

export const SEND_EMAIL = { subject: 'Votre devis', body: 'Bonjour,\n\n{{signing_link}}\n' } as const;

/** One full procedure through the facade: send, open, code, verify, sign. */
export const fullProcedure = async (app: BenchApp, tenantId: string, quoteId: string): Promise<void> => {
  app.addQuote(tenantId, quoteId);
  const sent = await must(app.paraphe.sender.send(app.seller(tenantId), { quoteId, ...SEND_EMAIL }));
  const token = app.tokenFor(sent.id);
  await must(app.paraphe.signer.open(token));
  await must(app.paraphe.signer.requestCode(token));
  await must(app.paraphe.signer.verifyCode(token, app.lastCode(sent.id)));
  await must(app.paraphe.signer.sign(token, true));
};

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
