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
};

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

  it('refuses a bad configuration with INVALID_INPUT naming the fields', async () => {
    const created = await createParaphe({
      crm: makeInMemoryCrm(),
      config: { signingBaseUrl: 'not a url', secretKey: 'short', dispatch: 'sometimes' },
    });
    expect(E.isLeft(created) && created.left).toMatchObject({ code: 'INVALID_INPUT' });
    const fields = E.isLeft(created) ? String(created.left.details?.fields) : '';
    expect(fields.split(', ')).toEqual(expect.arrayContaining(['signingBaseUrl', 'secretKey', 'dispatch.0']));
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
    expect(postgres({ preparedStatements: 'no' })).toMatchObject({ left: { code: 'INVALID_INPUT' } });
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
        left: { code: 'INVALID_INPUT' },
      });
  });
});
