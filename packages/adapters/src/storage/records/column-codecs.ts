import { refinedType, type Sha256Hex } from '@paraphe/domain';
import * as t from 'io-ts';

const isValidDate = (u: unknown): u is Date => u instanceof Date && !Number.isNaN(u.getTime());

/**
 * A Date written by `JSON.stringify` (ISO 8601 in UTC); anything that does not round-trip exactly fails. `is` holds for
 * valid Dates only: an Invalid Date becomes `null` in JSON.
 */
export const IsoDate = new t.Type<Date, string, unknown>(
  'IsoDate',
  isValidDate,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    const date = new Date(u);
    return Number.isNaN(date.getTime()) || date.toISOString() !== u ? t.failure(u, c) : t.success(date);
  },
  (date) => date.toISOString(),
);

/** A 64-bit integer column: a number from SQLite, a decimal string from pg; only safe integers pass. */
export const Int64 = new t.Type<number, number, unknown>(
  'Int64',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
  (u, c) => {
    const n = typeof u === 'string' && /^-?\d+$/.test(u) ? Number(u) : u;
    return typeof n === 'number' && Number.isSafeInteger(n) ? t.success(n) : t.failure(u, c);
  },
  t.identity,
);

/** Epoch milliseconds in a 64-bit integer column, as a Date. */
export const EpochMillis = new t.Type<Date, number, unknown>(
  'EpochMillis',
  isValidDate,
  (u, c) => {
    const ms = Int64.validate(u, c);
    return ms._tag === 'Left' ? ms : t.success(new Date(ms.right));
  },
  (date) => date.getTime(),
);

export const Sha256HexCodec = new t.Type<Sha256Hex, string, unknown>(
  'Sha256Hex',
  (u): u is Sha256Hex => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u),
  (u, c) => (typeof u === 'string' && /^[0-9a-f]{64}$/.test(u) ? t.success(u as Sha256Hex) : t.failure(u, c)),
  t.identity,
);

/** A JSON column: text in SQLite (parsed here), jsonb in PostgreSQL (already parsed by pg). */
export const JsonColumn = new t.Type<unknown, string, unknown>(
  'JsonColumn',
  (_u): _u is unknown => true,
  (u, c) => {
    if (typeof u !== 'string') return t.success(u);
    try {
      return t.success(JSON.parse(u));
    } catch {
      return t.failure(u, c, 'not JSON');
    }
  },
  (value) => JSON.stringify(value),
);

/** Bytes from a BLOB/bytea column, copied into a plain Uint8Array (not the driver's Buffer). */
export const BytesColumn = new t.Type<Uint8Array, Uint8Array, unknown>(
  'BytesColumn',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => (u instanceof Uint8Array ? t.success(Uint8Array.from(u)) : t.failure(u, c)),
  t.identity,
);

/** A number JSON can hold: NaN and ±Infinity become `null` there. */
export const FiniteNumber = refinedType(
  'FiniteNumber',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
);

/** A count or a sequence number: a safe integer, zero or more. */
export const Count = refinedType(
  'Count',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
);

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== 'object' || u === null) return false;
  const prototype = Object.getPrototypeOf(u);
  return prototype === Object.prototype || prototype === null;
};

/**
 * A string-keyed record of a plain object only: io-ts' own `record` accepts any object, and a Date or a Map in its
 * place passes `is` with no key to check, then is written as a string or `{}`.
 */
export const plainRecord = <C extends t.Mixed>(codomain: C) => {
  const record = t.record(t.string, codomain);
  return new t.DictionaryType<t.StringC, C, t.TypeOf<typeof record>, t.OutputOf<typeof record>, unknown>(
    record.name,
    (u): u is t.TypeOf<typeof record> => isPlainObject(u) && record.is(u),
    (u, c) => (isPlainObject(u) ? record.validate(u, c) : t.failure(u, c)),
    record.encode,
    t.string,
    codomain,
  );
};

/**
 * An array without holes: io-ts' own `array` checks with `every`, which skips them, and `JSON.stringify` writes a
 * hole as `null`.
 */
export const denseArray = <C extends t.Mixed>(item: C) => {
  const array = t.array(item);
  return new t.ArrayType<C, t.TypeOf<typeof array>, t.OutputOf<typeof array>, unknown>(
    array.name,
    (u): u is t.TypeOf<typeof array> => {
      if (!Array.isArray(u)) return false;
      for (let i = 0; i < u.length; i++) if (!(i in u) || !item.is(u[i])) return false;
      return true;
    },
    array.validate,
    array.encode,
    item,
  );
};

/** A string union as a codec. */
export const oneOf = <A extends string>(name: string, values: ReadonlyArray<A>) =>
  new t.Type<A, string, unknown>(
    name,
    (u): u is A => typeof u === 'string' && (values as ReadonlyArray<string>).includes(u),
    (u, c) =>
      typeof u === 'string' && (values as ReadonlyArray<string>).includes(u)
        ? t.success(u as A)
        : t.failure(u, c),
    t.identity,
  );
