import { describe, expect, it } from 'vitest';
import { isMissingPackage, loadEntry, loadPdf, MissingDriver } from './adapter-entries.js';

/** What Node throws when an ES module imports a package that is not installed. */
const notFound = (what: string, code = 'ERR_MODULE_NOT_FOUND') =>
  Object.assign(
    new Error(`Cannot find package '${what}' imported from /crm/node_modules/@paraphe/adapters/x.js`),
    {
      code,
    },
  );

describe('loading an adapter entry point', () => {
  it('gives the module the configuration named', async () => {
    const entry = { makeThing: () => 'thing' };
    expect(await loadEntry(async () => entry, 'storage', ['better-sqlite3'])).toBe(entry);
    expect(typeof (await loadPdf()).verifySignedPdf).toBe('function');
  });

  it('answers a driver that is not installed with INVALID_CONFIG naming the key and the package', async () => {
    const missing = loadEntry(() => Promise.reject(notFound('better-sqlite3')), 'storage', [
      'better-sqlite3',
    ]);
    await expect(missing).rejects.toBeInstanceOf(MissingDriver);
    const error = await missing.catch((cause: MissingDriver) => cause.error);
    expect(error).toMatchObject({
      code: 'INVALID_CONFIG',
      details: { fields: 'storage', install: 'better-sqlite3' },
    });
    expect(error.message.en).toBe("Paraphe's configuration is not valid (storage): install better-sqlite3");
    expect(error.message.fr).toBe(
      "La configuration de Paraphe n'est pas valide (storage) : installez better-sqlite3",
    );
  });

  it('lets any other failure through as it is: another missing package, a module inside the driver, a throw', async () => {
    for (const cause of [
      notFound('pg-protocol'),
      notFound('pg/lib/native'),
      notFound('pg', 'ENOENT'),
      new Error('Could not locate the bindings file'),
    ]) {
      await expect(
        loadEntry(() => Promise.reject(cause), 'storage', ['pg']),
        cause.message,
      ).rejects.toBe(cause);
    }
  });

  it('knows a CommonJS require of a missing package too', () => {
    const required = Object.assign(
      new Error("Cannot find module 'nodemailer'\nRequire stack:\n- /crm/x.js"),
      {
        code: 'MODULE_NOT_FOUND',
      },
    );
    expect(isMissingPackage(required, 'nodemailer')).toBe(true);
    expect(isMissingPackage(required, 'pg')).toBe(false);
    expect(isMissingPackage('nodemailer', 'nodemailer')).toBe(false);
  });
});
