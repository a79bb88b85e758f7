import { checkPemSigningIdentity } from '@paraphe/adapters';
import type { SqliteBindingProblem } from '@paraphe/adapters/sqlite';
import { type DomainError, domainError, type Storage, type StorageError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { storageErrorToDomain } from '../support/storage-errors.js';
import { loadPdf, loadSqlite } from './adapter-entries.js';
import type { ParapheConfig } from './config.js';

/** A storage that can open its database and apply its migrations now (SQLite, PostgreSQL). */
interface Migrating {
  readonly migrate: () => () => Promise<E.Either<StorageError, unknown>>;
}

const canMigrate = (storage: Storage): storage is Storage & Migrating =>
  typeof (storage as Partial<Migrating>).migrate === 'function';

const invalidSealing = (reason: string): DomainError =>
  domainError('INVALID_CONFIG', { fields: 'sealing', reason: reason.slice(0, 300) });

/**
 * Whether the configured signing identity loads. A PEM identity is checked with Node's crypto alone, so that the PDF
 * and ASN.1 libraries wait for the first document; a PKCS#12 file needs them to be decrypted, and a key behind the
 * signing-key port is asked for one probe signature through them.
 */
const checkIdentity = async (sealing: ParapheConfig['sealing']): Promise<E.Either<DomainError, void>> => {
  if (sealing.kind === 'development') return E.right(undefined);
  if (sealing.kind === 'pem') return E.mapLeft(invalidSealing)(checkPemSigningIdentity(sealing));
  const identity =
    sealing.kind === 'pkcs12'
      ? {
          kind: 'pkcs12' as const,
          pkcs12: Buffer.from(sealing.pkcs12Base64, 'base64'),
          passphrase: sealing.passphrase,
        }
      : { kind: 'key' as const, key: sealing.key };
  const { loadSigningIdentity } = await loadPdf();
  const loaded = await loadSigningIdentity(identity)();
  return E.isLeft(loaded)
    ? E.left(invalidSealing(String(loaded.left.details?.reason ?? loaded.left.code)))
    : E.right(undefined);
};

/** The commands that build better-sqlite3's native module, for each problem. */
const REBUILD: Readonly<Record<SqliteBindingProblem, { install: string; installWithNpm: string }>> = {
  // pnpm 10 and later skip a dependency's build script until it is approved: approving it is the lasting fix.
  'not-built': {
    install: 'pnpm approve-builds && pnpm rebuild better-sqlite3',
    installWithNpm: 'npm rebuild better-sqlite3',
  },
  'built-for-another-node': {
    install: 'pnpm rebuild better-sqlite3',
    installWithNpm: 'npm rebuild better-sqlite3',
  },
};

/** What the start check asks the SQLite entry point; a test replaces it to meet an unbuilt driver. */
export type SqliteBindingCheck = () => Promise<SqliteBindingProblem | undefined>;

const installedSqliteBinding: SqliteBindingCheck = async () => (await loadSqlite()).sqliteBindingProblem();

export interface StartCheckOptions {
  /** The CRM gave its own storage instance: the configured one is not built, so its driver is not checked. */
  readonly storageGiven: boolean;
  readonly sqliteBinding?: SqliteBindingCheck;
}

/**
 * What a broken deployment would otherwise meet at its first send or its first signer, found when Paraphe is
 * created: a signing identity that does not load (`INVALID_CONFIG` naming `sealing`), an SQLite driver whose native
 * module was never built (`INVALID_CONFIG` naming `storage`, `install` the commands that build it), and a database
 * that cannot be opened, written or migrated (the storage's own error: a read-only file, a PostgreSQL server that
 * does not answer — retryable when it is).
 */
export const checkAtStart = async (
  config: ParapheConfig,
  storage: Storage,
  options: StartCheckOptions,
): Promise<E.Either<DomainError, void>> => {
  const identity = await checkIdentity(config.sealing);
  if (E.isLeft(identity)) return identity;
  if (config.storage.kind === 'sqlite' && !options.storageGiven) {
    const problem = await (options.sqliteBinding ?? installedSqliteBinding)();
    if (problem !== undefined)
      return E.left(
        domainError('INVALID_CONFIG', { fields: 'storage', notBuilt: 'better-sqlite3', ...REBUILD[problem] }),
      );
  }
  if (canMigrate(storage)) {
    const migrated = await storage.migrate()();
    if (E.isLeft(migrated)) return E.left(storageErrorToDomain(migrated.left));
  }
  return E.right(undefined);
};
