import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeInMemoryCrm } from '@paraphe/adapters';
import * as E from 'fp-ts/lib/Either.js';
import type { ServiceIdentifier } from 'inversify';
import { describe, expect, it } from 'vitest';
import { createParaphe } from '../create-paraphe.js';
import { decodeConfig } from './config.js';
import { buildContainer } from './container.js';
import { TYPES } from './tokens.js';

const minimal = {
  signingBaseUrl: 'https://crm.example.com/sign/',
  secretKey: 'a-key-of-at-least-thirty-two-characters',
  storage: { kind: 'memory' },
} as const;

describe('the composition root', () => {
  it('resolves every token with the default, in-memory configuration', async () => {
    const config = decodeConfig(minimal);
    if (E.isLeft(config)) throw new Error(config.left.code);
    const container = buildContainer(config.right, makeInMemoryCrm(), undefined, {});
    for (const [name, token] of Object.entries(TYPES)) {
      await expect(container.getAsync(token as ServiceIdentifier<unknown>), name).resolves.toBeDefined();
    }
    // Singletons: one storage and one set of use cases per container.
    expect(await container.getAsync(TYPES.Storage)).toBe(await container.getAsync(TYPES.Storage));
    expect(await container.getAsync(TYPES.SenderUseCases)).toBe(
      await container.getAsync(TYPES.SenderUseCases),
    );
  });

  it('refuses a bad configuration with INVALID_CONFIG naming the fields', async () => {
    const created = await createParaphe({
      crm: makeInMemoryCrm(),
      config: { ...minimal, signingBaseUrl: 'not a url', secretKey: 'short', dispatch: 'sometimes' as never },
    });
    expect(E.isLeft(created) && created.left).toMatchObject({ code: 'INVALID_CONFIG' });
    const fields = E.isLeft(created) ? String(created.left.details?.fields) : '';
    expect(fields.split(', ')).toEqual(expect.arrayContaining(['signingBaseUrl', 'secretKey', 'dispatch']));
  });

  it('refuses a misspelt or unknown key at any depth, naming its path', () => {
    const cases: ReadonlyArray<readonly [object, string]> = [
      [{ storgae: { kind: 'sqlite', filename: 'paraphe.db' } }, 'storgae'],
      [{ storage: { kind: 'sqlite', filenme: 'paraphe.db' } }, 'storage.filenme'],
      [{ storage: { kind: 'sqlite', filename: 'paraphe.db', mustexist: true } }, 'storage.mustexist'],
      [{ storage: { kind: 'sqlight', filename: 'paraphe.db' } }, 'storage.kind'],
      [
        { mail: { kind: 'smtp', host: 'h', port: 25, from: 'a@b.c', messageIdDomain: 'b.c', pasword: 'x' } },
        'mail.pasword',
      ],
      [{ sealing: { kind: 'development', levle: 'B-LTA' } }, 'sealing.levle'],
      [
        { webhook: { url: 'https://crm.example/hook', secret: 'sixteen-chars-min', allowPrivate: true } },
        'webhook.allowPrivate',
      ],
      [{ delivery: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0, jitter: true } }, 'delivery.jitter'],
      [JSON.parse('{"__proto__": {"dispatch": "manual"}}'), '__proto__'],
    ];
    for (const [change, path] of cases) {
      const decoded = decodeConfig({ ...minimal, ...change });
      expect(decoded, path).toMatchObject({ left: { code: 'INVALID_CONFIG' } });
      expect(E.isLeft(decoded) && String(decoded.left.details?.fields).split(', '), path).toContain(path);
    }
  });

  it('wants the storage chosen explicitly: none is INVALID_CONFIG, never a silent in-memory store', () => {
    const { storage: _, ...withoutStorage } = minimal;
    expect(decodeConfig(withoutStorage)).toMatchObject({
      left: { code: 'INVALID_CONFIG', details: { fields: 'storage' } },
    });
    expect(decodeConfig('paraphe.db')).toMatchObject({ left: { code: 'INVALID_CONFIG' } });
  });

  it('fails createParaphe, not the first signer, on a signing identity that does not load', async () => {
    const brokenPem = {
      kind: 'pem',
      privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(120)}\n-----END PRIVATE KEY-----`,
      certificateChainPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
    } as const;
    const brokenP12 = {
      kind: 'pkcs12',
      pkcs12Base64: Buffer.from('not a p12').toString('base64'),
      passphrase: 'x',
    } as const;
    for (const sealing of [brokenPem, brokenP12]) {
      const created = await createParaphe({ crm: makeInMemoryCrm(), config: { ...minimal, sealing } });
      expect(created, sealing.kind).toMatchObject({
        left: { code: 'INVALID_CONFIG', details: { fields: 'sealing' } },
      });
    }
  });

  it('fails createParaphe on a database that cannot be opened: a missing SQLite file that must exist', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'paraphe-start-'));
    try {
      const filename = join(directory, 'missing.db');
      const created = await createParaphe({
        crm: makeInMemoryCrm(),
        config: { ...minimal, storage: { kind: 'sqlite', filename, mustExist: true } },
      });
      expect(created).toMatchObject({ left: { code: 'STORAGE_FAILURE' } });
      const opened = await createParaphe({
        crm: makeInMemoryCrm(),
        config: { ...minimal, storage: { kind: 'sqlite', filename } },
      });
      expect(E.isRight(opened)).toBe(true);
      if (E.isRight(opened)) await opened.right.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('takes PostgreSQL prepared statements as an optional boolean', () => {
    const postgres = (extra: object) =>
      decodeConfig({
        ...minimal,
        storage: { kind: 'postgres', connectionString: 'postgresql://localhost/crm', ...extra },
      });
    for (const extra of [{}, { preparedStatements: false }, { preparedStatements: true }]) {
      const decoded = postgres(extra);
      expect(E.isRight(decoded) && decoded.right.storage).toStrictEqual({
        kind: 'postgres',
        connectionString: 'postgresql://localhost/crm',
        ...extra,
      });
    }
    expect(postgres({ preparedStatements: 'no' })).toMatchObject({ left: { code: 'INVALID_CONFIG' } });
  });

  it('takes PostgreSQL timeouts as optional milliseconds, 0 meaning none', () => {
    const timeouts = { connectTimeoutMs: 2_000, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 15_000 };
    const storage = (extra: object) => ({
      kind: 'postgres',
      connectionString: 'postgresql://localhost/crm',
      ...extra,
    });
    const decoded = decodeConfig({ ...minimal, storage: storage(timeouts) });
    expect(E.isRight(decoded) && decoded.right.storage).toStrictEqual(storage(timeouts));
    for (const bad of [
      { connectTimeoutMs: -1 },
      { statementTimeoutMs: 1.5 },
      { idleInTransactionTimeoutMs: '60s' },
    ])
      expect(decodeConfig({ ...minimal, storage: storage(bad) })).toMatchObject({
        left: { code: 'INVALID_CONFIG' },
      });
  });
});
