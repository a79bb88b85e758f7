import type { Sha256Hex } from '@paraphe/domain';
import * as t from 'io-ts';

/** A Date written by `JSON.stringify` (ISO 8601 in UTC); anything that does not round-trip exactly fails. */
export const IsoDate = new t.Type<Date, string, unknown>(
  'IsoDate',
  (u): u is Date => u instanceof Date,
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
  (u): u is Date => u instanceof Date,
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
