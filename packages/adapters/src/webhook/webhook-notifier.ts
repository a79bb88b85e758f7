import {
  type DeliveryError,
  type DomainError,
  deliveryError,
  domainError,
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
import { checkWebhookTarget, systemLookup, type WebhookLookup } from './private-network.js';
import { webhookBody } from './webhook-payload.js';
import { webhookHeaders, webhookSignatureHeader } from './webhook-signature.js';

export interface WebhookNotifierConfig {
  readonly url: string;
  /** Shared with the CRM, which checks `Paraphe-Signature` with it. */
  readonly secret: string;
  readonly now: () => Date;
  readonly sleep: Sleep;
  /** 5 attempts, 1 s doubling up to 60 s when absent. */
  readonly policy?: RetryPolicy;
  readonly random?: () => number;
  /** Per attempt, body included; 10 s when absent. */
  readonly timeoutMs?: number;
  /** Only for development and tests: allows loopback and private addresses. */
  readonly allowPrivateNetwork?: boolean;
  readonly lookup?: WebhookLookup;
  readonly fetch?: typeof fetch;
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

/** Posts each lifecycle notification, signed, to the CRM; retries network errors, 429 and 5xx a bounded number of times. */
export const makeWebhookNotifier = (config: WebhookNotifierConfig): LifecycleNotifier => {
  const doFetch = config.fetch ?? fetch;
  const log = config.log ?? (() => undefined);
  const lookup = config.lookup ?? systemLookup;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const policy = config.policy ?? defaultWebhookRetryPolicy;

  const attempt =
    (n: LifecycleNotification, body: string) =>
    (attemptNumber: number): TE.TaskEither<DeliveryError, void> =>
    async () => {
      const refused = await checkWebhookTarget(config.url, {
        allowPrivateNetwork: config.allowPrivateNetwork ?? false,
        lookup,
      });
      if (refused !== undefined) return E.left(refused);
      // Signed afresh on each attempt: a retry after a long backoff must not look stale to the receiver.
      const timestamp = Math.floor(config.now().getTime() / 1000);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await doFetch(config.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [webhookHeaders.eventId]: n.id,
            [webhookHeaders.timestamp]: String(timestamp),
            [webhookHeaders.signature]: webhookSignatureHeader(config.secret, timestamp, body),
          },
          body,
          signal: controller.signal,
          // A redirect could point at the private network the target check just ruled out.
          redirect: 'manual',
        });
        await res.arrayBuffer();
        const failure = classifyHttpStatus(
          res.status,
          parseRetryAfter(res.headers.get('retry-after'), config.now()),
        );
        if (failure === undefined) {
          log({ event: 'webhook.delivered', eventId: n.id, attempt: attemptNumber, status: res.status });
          return E.right(undefined);
        }
        return E.left(failure);
      } catch (e) {
        return E.left(classifyNetworkError(e));
      } finally {
        clearTimeout(timer);
      }
    };

  const notify = (n: LifecycleNotification): TE.TaskEither<DomainError, void> => {
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
      TE.mapLeft((e) =>
        domainError('CRM_FAILURE', { eventId: n.id, attempts, reason: e.reason, retryable: e.retryable }),
      ),
    );
  };
  return { notify };
};
