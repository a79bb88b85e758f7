export type { ErrorBody } from './api/api-errors.js';
export type { RateLimit } from './rate-limiter.js';
export type { ClientAddress } from './request-context.js';
export {
  defaultServerLimits,
  type ServerLimits,
  type ServeSigningAppOptions,
  type SigningServer,
  serveSigningApp,
} from './serve-signing-app.js';
export { makeSigningApp } from './signing-app.js';
export type { SigningAppDeps } from './signing-app-deps.js';
export {
  defaultSigningRateLimits,
  type RateLimitPair,
  type SigningRateLimits,
} from './signing-rate-limits.js';
