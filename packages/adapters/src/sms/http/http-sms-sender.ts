import type { DeliveryError, OutgoingSms, SmsSender } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { classifyNetworkError } from '../../delivery/classify.js';
import { parseRetryAfter } from '../../delivery/delivery-failure.js';
import { readTwilioResponse } from './twilio-response.js';

export interface HttpSmsSenderConfig {
  /** `https://api.twilio.com`, or a compatible endpoint. */
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** A sending number (E.164 or alphanumeric sender id) or a Messaging Service. */
  readonly sender: { readonly from: string } | { readonly messagingServiceSid: string };
  /** The whole request, body included, is abandoned after this long; 10 s when absent. */
  readonly timeoutMs?: number;
  /** Reads `Retry-After` dates; the system clock when absent. */
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
  /** Receives one secret-free line per outcome: never the text, the number or credentials. */
  readonly log?: (entry: SmsLogEntry) => void;
}

export type SmsLogEntry =
  | { readonly event: 'sms.sent'; readonly smsId: string; readonly providerMessageId: string }
  | {
      readonly event: 'sms.failed';
      readonly smsId: string;
      readonly reason: string;
      readonly retryable: boolean;
    };

type Sent = { readonly providerMessageId: string };

/** Sends SMS through Twilio's Messages REST API (or a compatible provider). */
export const makeHttpSmsSender = (config: HttpSmsSenderConfig): SmsSender => {
  const doFetch = config.fetch ?? fetch;
  const now = config.now ?? (() => new Date());
  const log = config.log ?? (() => undefined);
  const timeoutMs = config.timeoutMs ?? 10_000;
  const url = `${config.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;

  const post =
    (sms: OutgoingSms): TE.TaskEither<DeliveryError, Sent> =>
    async () => {
      const form = new URLSearchParams({ To: sms.to, Body: sms.text });
      if ('from' in config.sender) form.set('From', config.sender.from);
      else form.set('MessagingServiceSid', config.sender.messagingServiceSid);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form,
          signal: controller.signal,
          // A redirect is answered as a permanent HTTP_3xx rather than followed with our credentials.
          redirect: 'manual',
        });
        // The timeout covers the body too: a provider may send headers and then stall.
        const text = await res.text();
        return readTwilioResponse(res.status, text, parseRetryAfter(res.headers.get('retry-after'), now()));
      } catch (e) {
        return E.left(classifyNetworkError(e));
      } finally {
        clearTimeout(timer);
      }
    };

  const send = (sms: OutgoingSms): TE.TaskEither<DeliveryError, Sent> =>
    pipe(
      post(sms),
      TE.tapIO(
        (r) => () => log({ event: 'sms.sent', smsId: sms.id, providerMessageId: r.providerMessageId }),
      ),
      TE.tapError((e) =>
        TE.fromIO(() =>
          log({ event: 'sms.failed', smsId: sms.id, reason: e.reason, retryable: e.retryable }),
        ),
      ),
    );
  return { send };
};
