export type { AsyncLifecycleNotifier, AsyncQuoteSource } from './async-ports.js';
export { fromAsyncNotifier, fromAsyncQuoteSource } from './async-ports.js';
export type { AdapterOverrides } from './composition/adapter-overrides.js';
export type { ParapheConfig, ParapheConfigInput } from './composition/config.js';
export {
  createParaphe,
  type Paraphe,
  type ParapheOptions,
  type PeriodicJobsReport,
  type SystemJobs,
} from './create-paraphe.js';
export { createParapheAsync, type ParapheAsyncOptions } from './create-paraphe-async.js';
export { type ParapheAsync, type Promised, type Result, toParapheAsync } from './promise-facade.js';
export { SIGNING_LINK_PLACEHOLDER } from './support/invitation-email.js';
export type { WorkerOptions } from './worker.js';
