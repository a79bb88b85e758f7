import {
  type DeliveryError,
  deliveryError,
  type LifecycleNotification,
  type LifecycleNotifier,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { classifyHttpStatus, classifyNetworkError } from '../delivery/classify.js';
import { parseRetryAfter, retryAfterOf } from '../delivery/delivery-failure.js';
import type { RetryPolicy } from '../delivery/retry-policy.js';
import { retryTaskEither } from '../delivery/retrying.js';
import type { Sleep } from '../delivery/sleep.js';
import { resolveWebhookTarget, systemLookup, type WebhookLookup } from './private-network.js';
import { standardWebhookHeaders, standardWebhookId, standardWebhookSignature } from './standard-webhooks.js';
import { webhookBody } from './webhook-payload.js';
import { webhookHeaders, webhookSignatureHeader } from './webhook-signature.js';
import { connectToVettedAddress, postWebhook, type WebhookConnect } from './webhook-transport.js';

export interface WebhookNotifierConfig {
  readonly url: string;
  /** Shared with the CRM, which checks `webhook-signature` (or `Paraphe-Signature`) with it; see the README for its `whsec_` form. */
  readonly secret: string;
  readonly now: () => Date;
  readonly sleep: Sleep;
  /** 5 attempts, 1 s doubling up to 60 s when absent. */
  readonly policy?: RetryPolicy;
  readonly random?: () => number;
  /** Per attempt, body included; 10 s when absent. */
  readonly timeoutMs?: number;
  /** Past this many bytes of response body the connection is dropped (only the status is read); 4 KiB when absent. */
  readonly maxResponseBytes?: number;
  /** Only for development and tests: allows loopback and private addresses. */
  readonly allowPrivateNetwork?: boolean;
  /** Resolves the host once per attempt; the system resolver when absent. */
  readonly lookup?: WebhookLookup;
  /** Opens the attempt's socket to the vetted addresses; for tests that watch where it connects. */
  readonly connect?: WebhookConnect;
  /** One line per attempt: never the URL (it may hold a token), the secret or the signature. */
  readonly log?: (entry: WebhookLogEntry) => void;
}

export type WebhookLogEntry =
  | {
      readonly event: 'webhook.delivered';
      readonly eventId: string;
      readonly attempt: number;
      readonly status: number;
    }
  | {
      readonly event: 'webhook.attempt_failed';
      readonly eventId: string;
      readonly attempt: number;
      readonly reason: string;
      readonly retryable: boolean;
    };

export const defaultWebhookRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
};

/** Both signatures of one attempt: Standard Webhooks, and the `Paraphe-*` headers receivers already verify. */
const signedHeaders = (secret: string, eventId: string, timestamp: number, body: string) => {
  const webhookId = standardWebhookId(eventId);
  return {
    'content-type': 'application/json',
    [standardWebhookHeaders.id]: webhookId,
    [standardWebhookHeaders.timestamp]: String(timestamp),
    [standardWebhookHeaders.signature]: standardWebhookSignature(secret, webhookId, timestamp, body),
    [webhookHeaders.eventId]: eventId,
    [webhookHeaders.timestamp]: String(timestamp),
    [webhookHeaders.signature]: webhookSignatureHeader(secret, timestamp, body),
  };
};

/** Posts each lifecycle notification, signed, to the CRM; retries network errors, 408, 429 and 5xx a bounded number of times. */
export const makeWebhookNotifier = (config: WebhookNotifierConfig): LifecycleNotifier => {
  const log = config.log ?? (() => undefined);
  const lookup = config.lookup ?? systemLookup;
  const connect = config.connect ?? connectToVettedAddress;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const maxResponseBytes = config.maxResponseBytes ?? 4096;
  const policy = config.policy ?? defaultWebhookRetryPolicy;

  const attempt =
    (n: LifecycleNotification, body: string) =>
    (attemptNumber: number): TE.TaskEither<DeliveryError, void> =>
    async () => {
      const target = await resolveWebhookTarget(config.url, {
        allowPrivateNetwork: config.allowPrivateNetwork ?? false,
        lookup,
      });
      if (E.isLeft(target)) return target;
      // Signed afresh on each attempt: a retry after a long backoff must not look stale to the receiver.
      const timestamp = Math.floor(config.now().getTime() / 1000);
      try {
        // Redirects are never followed: one could point at the private network the target check ruled out.
        const res = await postWebhook({
          target: target.right,
          headers: signedHeaders(config.secret, n.id, timestamp, body),
          body,
          timeoutMs,
          maxResponseBytes,
          connect,
        });
        const failure = classifyHttpStatus(res.status, parseRetryAfter(res.retryAfter, config.now()));
        if (failure === undefined) {
          log({ event: 'webhook.delivered', eventId: n.id, attempt: attemptNumber, status: res.status });
          return E.right(undefined);
        }
        return E.left(failure);
      } catch (e) {
        return E.left(classifyNetworkError(e));
      }
    };

  const notify = (n: LifecycleNotification): TE.TaskEither<DeliveryError, void> => {
    let attempts = 0;
    const logged = (body: string) => (k: number) =>
      pipe(
        attempt(n, body)(k),
        TE.tapError((e) => {
          attempts = k;
          return TE.fromIO(() =>
            log({
              event: 'webhook.attempt_failed',
              eventId: n.id,
              attempt: k,
              reason: e.reason,
              retryable: e.retryable,
            }),
          );
        }),
      );
    return pipe(
      TE.fromEither(webhookBody(n)),
      TE.mapLeft((reason) => deliveryError(false, reason)),
      TE.flatMap((body) =>
        retryTaskEither<DeliveryError, void>({
          policy,
          sleep: config.sleep,
          isRetryable: (e) => e.retryable,
          retryAfterMs: retryAfterOf,
          ...(config.random === undefined ? {} : { random: config.random }),
        })(logged(body)),
      ),
      // The last attempt's error, plain (the retry wrapper's pacing hint dropped), with how many attempts it took.
      TE.mapLeft(
        (e): DeliveryError => ({ ...deliveryError(e.retryable, e.reason, `event ${n.id}`), attempts }),
      ),
    );
  };
  return { notify };
};
