export { checkWebhookTarget, isPrivateAddress, type WebhookLookup } from './private-network.js';
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
