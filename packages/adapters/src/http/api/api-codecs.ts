import { exactType, Text } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

const SigningOrder = t.keyof({ sequential: null, parallel: null });

/**
 * Who signs (`SendInput.signers`): contact ids of the quote in signing order, a countersigner's user id, the order.
 * No unknown field (a misspelt `countersigner` would otherwise send without the countersignature). How many signers
 * is the send rules' refusal (`TOO_MANY_SIGNERS`, with its reason), not a decoding failure.
 */
export const SendSignersBody = exactType(
  {},
  { contactIds: t.readonlyArray(Text(200)), countersignerId: Text(200), order: SigningOrder },
  'signers',
);

/** `POST /api/procedures`: the email the sender writes; `{{signing_link}}` marks where the link goes. */
export const SendBody = t.intersection([
  t.type({ quoteId: Text(200), subject: Text(998), body: t.string }),
  t.partial({ idempotencyKey: Text(200), signers: SendSignersBody }),
]);

/**
 * `GET /api/quotes/:quoteId/check?contactId=…&contactId=…&countersignerId=…&order=…`: the same signers as a send,
 * from the query; none of them given, the quote's contact alone. The Left names the failed parameters.
 */
export const signersQuery = (query: {
  readonly contactIds: ReadonlyArray<string>;
  readonly countersignerId: ReadonlyArray<string>;
  readonly order: ReadonlyArray<string>;
}): E.Either<ReadonlyArray<string>, t.TypeOf<typeof SendSignersBody> | undefined> => {
  const { contactIds, countersignerId, order } = query;
  if (contactIds.length + countersignerId.length + order.length === 0) return E.right(undefined);
  return E.mapLeft(failedFields)(
    SendSignersBody.decode({
      ...(contactIds.length === 0 ? {} : { contactIds }),
      // Given twice, a single value is ambiguous: an array fails the decoding and names the parameter.
      ...(countersignerId.length === 0
        ? {}
        : { countersignerId: countersignerId.length === 1 ? countersignerId[0] : countersignerId }),
      ...(order.length === 0 ? {} : { order: order.length === 1 ? order[0] : order }),
    }),
  );
};

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
