import { type DomainError, domainError, Text } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';

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
