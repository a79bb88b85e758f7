import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeInMemoryCrm, makeInMemoryStorage } from '@paraphe/adapters';
import { type DevelopmentSigningIdentity, generateDevelopmentSigningIdentity } from '@paraphe/adapters/pdf';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createParaphe } from '../create-paraphe.js';
import { decodeConfig } from './config.js';
import { checkAtStart } from './start-checks.js';

const seams = vi.hoisted(() => ({ pdfLoads: 0, bindingError: undefined as unknown }));

// Counts the imports of the PDF entry point the composition root asks for.
vi.mock('./adapter-entries.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./adapter-entries.js')>();
  return {
    ...real,
    loadPdf: () => {
      seams.pdfLoads++;
      return real.loadPdf();
    },
  };
});

// The SQLite entry point as installed, except that opening a database can be made to throw what an unbuilt driver
// throws; the real driver stays untouched.
vi.mock('@paraphe/adapters/sqlite', async (importOriginal) => {
  const real = await importOriginal<typeof import('@paraphe/adapters/sqlite')>();
  return {
    ...real,
    sqliteBindingProblem: () =>
      real.sqliteBindingProblem(
        seams.bindingError === undefined
          ? undefined
          : () => {
              throw seams.bindingError;
            },
      ),
  };
});

/** The error better-sqlite3's own loader (the `bindings` package) throws when the module was never built. */
const unbuiltDriverError = (): unknown => {
  const adapters = createRequire(import.meta.url).resolve('@paraphe/adapters/package.json');
  const driver = createRequire(adapters).resolve('better-sqlite3');
  const bindings = createRequire(driver)('bindings') as (name: string) => unknown;
  try {
    bindings('paraphe_never_built.node');
  } catch (cause) {
    return cause;
  }
  throw new Error('the bindings package found a module that does not exist');
};

const minimal = {
  signingBaseUrl: 'https://crm.example.com/sign/',
  secretKey: 'a-key-of-at-least-thirty-two-characters',
  storage: { kind: 'memory' },
} as const;

describe('the start checks', () => {
  let directory: string;
  let identity: DevelopmentSigningIdentity;
  let another: DevelopmentSigningIdentity;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'paraphe-start-checks-'));
    [identity, another] = await Promise.all([
      generateDevelopmentSigningIdentity(),
      generateDevelopmentSigningIdentity(),
    ]);
  }, 60_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  beforeEach(() => {
    seams.pdfLoads = 0;
    seams.bindingError = undefined;
  });

  const create = (config: object, adapters = {}) =>
    createParaphe({ crm: makeInMemoryCrm(), config: { ...minimal, ...config }, adapters });

  it('checks a PEM identity at createParaphe without importing the PDF entry point', async () => {
    const pem = (privateKeyPem: string, certificateChainPem: string | ReadonlyArray<string>) => ({
      sealing: { kind: 'pem', privateKeyPem, certificateChainPem: [certificateChainPem].flat().join('\n') },
    });
    const good = await create(pem(identity.privateKeyPem, identity.certificateChainPem));
    expect(E.isRight(good)).toBe(true);
    if (E.isRight(good)) await good.right.close();
    for (const broken of [
      pem(identity.privateKeyPem, another.certificateChainPem),
      pem(identity.privateKeyPem.replace(/[A-Za-z]{20}/, 'A'.repeat(20)), identity.certificateChainPem),
      pem(identity.privateKeyPem, 'no certificate here'),
    ]) {
      expect(await create(broken)).toMatchObject({
        left: { code: 'INVALID_CONFIG', details: { fields: 'sealing' } },
      });
    }
    expect(seams.pdfLoads).toBe(0);
  });

  it('loads the PDF entry point at start for a PKCS#12 file, which only its libraries decrypt', async () => {
    const created = await create({
      sealing: { kind: 'pkcs12', pkcs12Base64: Buffer.from('not a p12').toString('base64'), passphrase: 'x' },
    });
    expect(created).toMatchObject({ left: { code: 'INVALID_CONFIG', details: { fields: 'sealing' } } });
    expect(seams.pdfLoads).toBe(1);
  });

  it('answers an SQLite driver whose native module was never built with INVALID_CONFIG and the commands that build it', async () => {
    seams.bindingError = unbuiltDriverError();
    const created = await create({ storage: { kind: 'sqlite', filename: join(directory, 'unbuilt.db') } });
    expect(created).toMatchObject({
      left: {
        code: 'INVALID_CONFIG',
        details: {
          fields: 'storage',
          notBuilt: 'better-sqlite3',
          install: 'pnpm approve-builds && pnpm rebuild better-sqlite3',
          installWithNpm: 'npm rebuild better-sqlite3',
        },
      },
    });
    const message = E.isLeft(created) ? created.left.message : { fr: '', en: '' };
    for (const text of [message.fr, message.en]) {
      expect(text).toContain('pnpm approve-builds && pnpm rebuild better-sqlite3');
      expect(text).toContain('npm rebuild better-sqlite3');
    }
    expect(message.en).toContain('not built');
    expect(message.fr).toContain('pas compilé');
  });

  it('does not ask the driver when the CRM gives its own storage, and starts on the real driver', async () => {
    seams.bindingError = unbuiltDriverError();
    const sqlite = { storage: { kind: 'sqlite', filename: join(directory, 'given.db') } };
    const given = await create(sqlite, { storage: makeInMemoryStorage() });
    expect(E.isRight(given)).toBe(true);
    if (E.isRight(given)) await given.right.close();
    seams.bindingError = undefined;
    const real = await create(sqlite);
    expect(E.isRight(real)).toBe(true);
    if (E.isRight(real)) await real.right.close();
  });

  it('names a rebuild alone for a module built for another Node version', async () => {
    const config = decodeConfig({
      ...minimal,
      storage: { kind: 'sqlite', filename: join(directory, 'x.db') },
    });
    if (E.isLeft(config)) throw new Error(config.left.code);
    const checked = await checkAtStart(config.right, makeInMemoryStorage(), {
      storageGiven: false,
      sqliteBinding: async () => 'built-for-another-node',
    });
    expect(checked).toMatchObject({
      left: { code: 'INVALID_CONFIG', details: { install: 'pnpm rebuild better-sqlite3' } },
    });
  });
});
