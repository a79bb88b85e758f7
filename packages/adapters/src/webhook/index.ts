export {
  checkWebhookTarget,
  isPrivateAddress,
  type PinnedAddress,
  resolveWebhookTarget,
  type WebhookLookup,
  type WebhookTarget,
} from './private-network.js';
export {
  standardWebhookHeaders,
  standardWebhookId,
  standardWebhookSecret,
  standardWebhookSignature,
} from './standard-webhooks.js';
export { makeWebhookDeduplicator, type WebhookDeduplicator } from './webhook-deduplicator.js';
export {
  defaultWebhookRetryPolicy,
  makeWebhookNotifier,
  type WebhookLogEntry,
  type WebhookNotifierConfig,
} from './webhook-notifier.js';
export { WebhookEvent, webhookBody } from './webhook-payload.js';
export {
  computeWebhookSignature,
  type VerifyWebhookSignatureInput,
  verifyWebhookSignature,
  type WebhookVerificationCode,
  type WebhookVerificationError,
  webhookHeaders,
  webhookSignatureHeader,
} from './webhook-signature.js';
export type { WebhookConnect, WebhookConnectTarget } from './webhook-transport.js';
