import {
  type DomainError,
  decodeWith,
  domainError,
  exactType,
  MAX_SIGNERS,
  refinedType,
  type SendSigners,
  Text,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

/** The longest text each facade input takes (documented in the app's README); longer is `INVALID_INPUT`. */
export const INPUT_LIMITS = {
  /** Tenant, user, quote and procedure ids, idempotency keys, order references. */
  id: 200,
  /** RFC 5322's line limit. */
  subject: 998,
  body: 20_000,
  reason: 2_000,
  code: 32,
  /** A PDF given to be verified: the sealer's 25 MB limit on originals, with room for what signing adds. */
  pdfBytes: 50 * 1024 * 1024,
} as const;

export const Id = Text(INPUT_LIMITS.id);

/** At most `MAX_SIGNERS` ids: a longer list could never be sent, and an unbounded one is not read. */
const ContactIds = refinedType(
  `ContactIds(0..${MAX_SIGNERS})`,
  (u): u is ReadonlyArray<string> =>
    Array.isArray(u) && u.length <= MAX_SIGNERS && u.every((id) => Id.is(id)),
);

/** Who signs, as a send or a check asks: every field optional, none other (a typo fails, named). */
export const SignersCodec = exactType(
  {},
  {
    contactIds: ContactIds,
    countersignerId: Id,
    order: t.union([t.literal('sequential'), t.literal('parallel')]),
  },
  'SendSigners',
);

const decodeSignersObject = decodeWith(SignersCodec);

/** The signers a check or a send asks for; absent, the quote's contact alone. A bad one is `INVALID_INPUT` naming `signers.…`. */
export const decodeSigners = (u: unknown): E.Either<DomainError, SendSigners | undefined> => {
  if (u === undefined) return E.right(undefined);
  return E.mapLeft((error: DomainError) =>
    domainError('INVALID_INPUT', {
      fields: String(error.details?.fields ?? '(root)')
        .split(', ')
        .map((field) => (field === '(root)' ? 'signers' : `signers.${field}`))
        .join(', '),
    }),
  )(decodeSignersObject(u));
};

const invalid = (field: string): E.Either<DomainError, never> =>
  E.left(domainError('INVALID_INPUT', { fields: field }));

/** A quote or procedure id given to the facade: non-blank text of at most `INPUT_LIMITS.id` characters. */
export const decodeId =
  (field: string) =>
  (u: unknown): E.Either<DomainError, string> =>
    Id.is(u) ? E.right(u) : invalid(field);

/**
 * An optional free-text reason (a cancel, a decline): absent, or a string of at most `INPUT_LIMITS.reason`
 * characters, trimmed, blank counting as absent. Anything else is `INVALID_INPUT` rather than silently dropped.
 */
export const decodeReason = (u: unknown): E.Either<DomainError, string | undefined> => {
  if (u === undefined) return E.right(undefined);
  if (typeof u !== 'string' || u.length > INPUT_LIMITS.reason) return invalid('reason');
  const trimmed = u.trim();
  return E.right(trimmed === '' ? undefined : trimmed);
};
