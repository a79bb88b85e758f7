import type { LifecycleNotification } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

/** The JSON body of a delivery, for receivers to decode. */
export const WebhookEvent = t.intersection([
  t.type({
    id: t.string,
    type: t.string,
    tenantId: t.string,
    procedureId: t.string,
    quoteId: t.string,
    status: t.string,
    /** ISO-8601 instant of the lifecycle change. */
    at: t.string,
  }),
  /** Why, when the change has a reason (a decline, a cancel, an undeliverable invitation). */
  t.partial({ reason: t.string }),
]);
export type WebhookEvent = t.TypeOf<typeof WebhookEvent>;

/** The body Paraphe signs and posts; an invalid `at` is refused rather than thrown on. */
export const webhookBody = (n: LifecycleNotification): E.Either<'INVALID_NOTIFICATION', string> => {
  if (!(n.at instanceof Date) || Number.isNaN(n.at.getTime())) return E.left('INVALID_NOTIFICATION');
  const event: WebhookEvent = {
    id: n.id,
    type: n.type,
    tenantId: n.tenantId,
    procedureId: n.procedureId,
    quoteId: n.quoteId,
    status: n.status,
    at: n.at.toISOString(),
    ...(n.reason === undefined ? {} : { reason: n.reason }),
  };
  return E.right(JSON.stringify(event));
};
