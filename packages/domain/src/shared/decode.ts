import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type DomainError, domainError } from '../errors.js';

/** Lists the paths that failed, without echoing values (they may be personal data). */
export const describeDecodeErrors = (errors: t.Errors): string =>
  [
    ...new Set(
      errors.map(
        (e) =>
          e.context
            .map((c) => c.key)
            .filter((k) => k !== '')
            .join('.') || '(root)',
      ),
    ),
  ].join(', ');

/** Decodes input from outside with a codec; a failure is `INVALID_INPUT` naming the fields, never an exception. */
export const decodeWith =
  <A, O>(codec: t.Type<A, O, unknown>) =>
  (input: unknown): E.Either<DomainError, A> =>
    E.mapLeft((errors: t.Errors) => domainError('INVALID_INPUT', { fields: describeDecodeErrors(errors) }))(
      codec.decode(input),
    );

const refined = <A>(name: string, is: (u: unknown) => u is A) =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);

/** An integer in [min, max]. */
export const IntBetween = (min: number, max: number) =>
  refined(
    `Int(${min}..${max})`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
  );

/** Non-blank text of at most `max` characters. */
export const Text = (max: number) =>
  refined(
    `Text(1..${max})`,
    (u): u is string => typeof u === 'string' && u.trim().length > 0 && u.length <= max,
  );

export const refinedType = refined;
