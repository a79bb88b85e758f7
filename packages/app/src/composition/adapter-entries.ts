import type * as PdfEntryPoint from '@paraphe/adapters/pdf';
import { type DomainError, domainError } from '@paraphe/domain';

/** What `@paraphe/adapters/pdf` exports. */
export type PdfEntry = typeof PdfEntryPoint;

/**
 * A driver the configuration names is not installed (`storage.kind: 'sqlite'` without `better-sqlite3`…): thrown by
 * the factory that needed it while the container resolves, answered by `createParaphe` as the `INVALID_CONFIG` it
 * carries, which names the configuration key and the package to install.
 */
export class MissingDriver extends Error {
  constructor(readonly error: DomainError) {
    super(error.message.en);
    this.name = 'MissingDriver';
  }
}

/** Whether `cause` says that `driver` itself could not be found (not a module inside it, not another package). */
export const isMissingPackage = (cause: unknown, driver: string): boolean => {
  if (!(cause instanceof Error)) return false;
  const code = (cause as { code?: unknown }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return new RegExp(`(?:package|module) '${driver.replace(/[/.]/g, '\\$&')}'`).test(cause.message);
};

/**
 * Imports an adapter entry point when the configuration names it, so that a CRM loads only the drivers it uses.
 * `field` is the configuration key that chose it; `drivers` are the optional peer dependencies the entry imports.
 */
export const loadEntry = async <M>(
  load: () => Promise<M>,
  field: string,
  drivers: ReadonlyArray<string>,
): Promise<M> => {
  try {
    return await load();
  } catch (cause) {
    const missing = drivers.find((driver) => isMissingPackage(cause, driver));
    if (missing === undefined) throw cause;
    throw new MissingDriver(domainError('INVALID_CONFIG', { fields: field, install: missing }));
  }
};

// One loader per entry point: `import()` of a constant specifier, so bundlers and the type checker see each one.
export const loadSqlite = () =>
  loadEntry(() => import('@paraphe/adapters/sqlite'), 'storage', ['better-sqlite3']);
export const loadPostgres = () => loadEntry(() => import('@paraphe/adapters/postgres'), 'storage', ['pg']);
export const loadSmtp = () => loadEntry(() => import('@paraphe/adapters/smtp'), 'mail', ['nodemailer']);
export const loadTwilio = () => loadEntry(() => import('@paraphe/adapters/twilio'), 'sms', []);
export const loadWebhook = () => loadEntry(() => import('@paraphe/adapters/webhook'), 'webhook', []);
export const loadPdf = () => loadEntry(() => import('@paraphe/adapters/pdf'), 'sealing', []);
