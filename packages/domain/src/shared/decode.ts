import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type DomainError, domainError } from '../errors.js';

/** A union's or an intersection's members appear in an error's path as `0`, `1`…: they name no field. */
const namesNoField = (parent: t.ContextEntry | undefined): boolean =>
  parent?.type instanceof t.UnionType || parent?.type instanceof t.IntersectionType;

const pathOf = (context: t.Context): string =>
  context
    .filter((entry, i) => entry.key !== '' && !namesNoField(context[i - 1]))
    .map((entry) => entry.key)
    .join('.') || '(root)';

/** Lists the paths that failed, without echoing values (they may be personal data). */
export const describeDecodeErrors = (errors: t.Errors): string =>
  [...new Set(errors.map((e) => pathOf(e.context)))].join(', ');

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

/** Text of at most `max` characters, possibly empty. */
export const TextUpTo = (max: number) =>
  refined(`Text(0..${max})`, (u): u is string => typeof u === 'string' && u.length <= max);

const isPlainRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * An object with these fields and no other: an unknown key (a typo such as `idempotencykey`, which would otherwise
 * be ignored and do nothing) fails, named like any invalid field. `__proto__` and friends are unknown keys too.
 */
export const exactType = <R extends t.Props, P extends t.Props = Record<never, never>>(
  required: R,
  optional: P = {} as P,
  name = 'ExactType',
) => {
  const inner = t.intersection([t.type(required), t.partial(optional)]);
  const known = (key: string) => Object.hasOwn(required, key) || Object.hasOwn(optional, key);
  return new t.Type<t.TypeOf<typeof inner>, t.OutputOf<typeof inner>, unknown>(
    name,
    (u): u is t.TypeOf<typeof inner> => isPlainRecord(u) && Object.keys(u).every(known) && inner.is(u),
    (u, c) => {
      if (!isPlainRecord(u)) return t.failure(u, c);
      const unknown = Object.keys(u).filter((key) => !known(key));
      if (unknown.length > 0)
        return t.failures(
          unknown.map((key) => ({ value: u[key], context: [...c, { key, type: t.never, actual: u[key] }] })),
        );
      // Under an entry of the intersection itself, so that its members' `0`, `1` stay out of error paths.
      return inner.validate(u, [...c, { key: '', type: inner, actual: u }]);
    },
    inner.encode,
  );
};
