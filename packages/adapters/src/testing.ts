/**
 * `@paraphe/adapters/testing`: what a CRM's own tests need — the in-memory adapters, a clock that stands still
 * until moved, reproducible randoms, and the contract suite of every port, to run against adapters of its own
 * (`describeStorageContract('my storage', makeFresh)` inside a vitest file). Needs `vitest`.
 */
export { type AdjustableClock, makeAdjustableClock } from './clock/clocks.js';
export * from './crm/in-memory/in-memory-crm.js';
export * from './mail/in-memory/in-memory-mailer.js';
export { makeSeededRandom } from './random/randoms.js';
export * from './sms/in-memory/in-memory-sms-sender.js';
export { type InMemoryStorageOptions, makeInMemoryStorage } from './storage/in-memory/in-memory-storage.js';
export * from './testing/contracts.js';
