import { type DomainError, domainError, type Storage } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { loadPdf } from './adapter-entries.js';
import type { ParapheConfig } from './config.js';

/** A storage that can open its database and apply its migrations now (SQLite, PostgreSQL). */
interface Migrating {
  readonly migrate: () => () => Promise<E.Either<DomainError, unknown>>;
}

const canMigrate = (storage: Storage): storage is Storage & Migrating =>
  typeof (storage as Partial<Migrating>).migrate === 'function';

const identityConfig = (sealing: ParapheConfig['sealing']) => {
  switch (sealing.kind) {
    case 'development':
      return undefined;
    case 'pem':
      return {
        kind: 'pem' as const,
        privateKeyPem: sealing.privateKeyPem,
        certificateChainPem: sealing.certificateChainPem,
      };
    case 'pkcs12':
      return {
        kind: 'pkcs12' as const,
        pkcs12: Buffer.from(sealing.pkcs12Base64, 'base64'),
        passphrase: sealing.passphrase,
      };
    case 'key':
      return { kind: 'key' as const, key: sealing.key };
  }
};

/**
 * What a broken deployment would otherwise meet at its first send or its first signer, found when Paraphe is
 * created: a signing identity that does not load (`INVALID_CONFIG` naming `sealing`), and a database that cannot be
 * opened, written or migrated (the storage's own error: a missing SQLite driver binding, a read-only file, a
 * PostgreSQL server that does not answer — retryable when it is).
 */
export const checkAtStart = async (
  config: ParapheConfig,
  storage: Storage,
): Promise<E.Either<DomainError, void>> => {
  const identity = identityConfig(config.sealing);
  if (identity !== undefined) {
    const { loadSigningIdentity } = await loadPdf();
    const loaded = await loadSigningIdentity(identity)();
    if (E.isLeft(loaded))
      return E.left(
        domainError('INVALID_CONFIG', {
          fields: 'sealing',
          reason: String(loaded.left.details?.reason ?? loaded.left.code).slice(0, 300),
        }),
      );
  }
  if (canMigrate(storage)) {
    const migrated = await storage.migrate()();
    if (E.isLeft(migrated)) return migrated;
  }
  return E.right(undefined);
};
