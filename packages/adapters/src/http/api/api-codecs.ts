import { Text } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

/** `POST /api/procedures`: the email the sender writes; `{{signing_link}}` marks where the link goes. */
export const SendBody = t.intersection([
  t.type({ quoteId: Text(200), subject: Text(998), body: t.string }),
  t.partial({ idempotencyKey: Text(200) }),
]);

/** `POST /api/credits`. The ledger itself refuses a non-positive quantity. */
export const OrderCreditsBody = t.type({ quantity: t.Int, orderReference: Text(200) });

/** `PATCH /api/settings`: any object; the use case decodes each field it merges. */
export const SettingsBody = t.UnknownRecord;

/** The dotted paths of the fields that failed, never their values (they may be personal data). */
export const failedFields = (errors: t.Errors): ReadonlyArray<string> => [
  ...new Set(
    errors.map(
      (e) =>
        e.context
          .map((c) => c.key)
          .filter((k) => k !== '' && !/^\d+$/.test(k))
          .join('.') || '(body)',
    ),
  ),
];

export type BodyDecoding<A> = E.Either<ReadonlyArray<string>, A>;

/** Parses and decodes a JSON body; the Left lists the failed fields (`(body)` when it is not JSON at all). */
export const decodeJson =
  <A, O>(codec: t.Type<A, O, unknown>) =>
  (text: string): BodyDecoding<A> => {
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return E.left(['(body)']);
    }
    return E.mapLeft(failedFields)(codec.decode(parsed));
  };
