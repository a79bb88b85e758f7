export type { ParapheConfig } from './composition/config.js';
export type { AdapterOverrides } from './composition/infrastructure.module.js';
export {
  createParaphe,
  type Paraphe,
  type ParapheOptions,
  type PeriodicJobsReport,
  type SystemJobs,
} from './create-paraphe.js';
export { SIGNING_LINK_PLACEHOLDER } from './support/invitation-email.js';
