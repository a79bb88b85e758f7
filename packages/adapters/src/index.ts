/**
 * `@paraphe/adapters`: the driver-free core — clocks, randoms, delivery retries and the in-memory adapters. Each
 * backend has an entry point of its own, loaded only by whoever names it, so that importing this one loads no
 * database driver, mail transport, HTTP framework or PDF library (README.md, "Entry points"): `/sqlite` (needs
 * `better-sqlite3`), `/postgres` (`pg`), `/smtp` (`nodemailer`), `/twilio`, `/webhook`, `/pdf`, `/http` (`hono`,
 * `@hono/node-server`) and `/testing` (`vitest`).
 */
export * from './clock/clocks.js';
export * from './crm/in-memory/in-memory-crm.js';
export * from './delivery/index.js';
export * from './mail/in-memory/in-memory-mailer.js';
// Node's crypto only: createParaphe checks a PEM identity without the PDF entry point's libraries.
export { checkPemSigningIdentity, type PemIdentity } from './pdf/pem-identity-check.js';
export * from './random/randoms.js';
export { smsCodeText } from './sms/http/sms-code-text.js';
export * from './sms/in-memory/in-memory-sms-sender.js';
export { type InMemoryStorageOptions, makeInMemoryStorage } from './storage/in-memory/in-memory-storage.js';
export { DEFAULT_CLAIM_LEASE_MS } from './storage/storage-rules.js';
