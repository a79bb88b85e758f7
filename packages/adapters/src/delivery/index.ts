export { classifyHttpStatus, classifyNetworkError, errorCodeOf } from './classify.js';
export {
  type PacedDeliveryError,
  pacedDeliveryError,
  parseRetryAfter,
  retryAfterOf,
} from './delivery-failure.js';
export { defaultRetryPolicy, nextRetryDelay, type RetryPolicy, withJitter } from './retry-policy.js';
export {
  type DeliveryPort,
  type RetryEvent,
  type RetryingOptions,
  type RetryOptions,
  retrying,
  retryTaskEither,
} from './retrying.js';
export { realSleep, recordingSleep, type Sleep } from './sleep.js';
