import {
  describeDecodeErrors,
  type StorageError,
  type TenantSettings,
  TenantSettingsCodec,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { unreadable } from '../storage-failure.js';
import { BytesColumn } from './column-codecs.js';

const refusal = (record: string, fields: string): StorageError =>
  unreadable(`${record} not stored: it would not read back`, fields);

/**
 * An array codec with a rule across its items (their order, their number): `breaking` names, relative to the array,
 * the items' fields that break it, so that a refusal names them; none named means the array as a whole.
 */
export class ArrayWithRule<C extends t.Mixed, A> extends t.ArrayType<C, A, unknown, unknown> {
  constructor(
    name: string,
    is: (u: unknown) => u is A,
    validate: t.Validate<unknown, A>,
    type: C,
    readonly breaking: (items: ReadonlyArray<unknown>) => ReadonlyArray<string>,
  ) {
    super(name, is, validate, t.identity, type);
  }
}

type Node = Readonly<Record<string, unknown>>;
const isObject = (u: unknown): u is Node => typeof u === 'object' && u !== null;

/**
 * Where `value` fails `codec.is`: the deepest paths the codec's structure lets us name (fields of objects, items of
 * arrays and records; the closest member of a union), as `describeDecodeErrors` writes them.
 */
const failingPaths = (
  codec: t.Mixed,
  value: unknown,
  path: ReadonlyArray<string> = [],
): ReadonlyArray<string> => {
  if (codec.is(value)) return [];
  const inside = (children: ReadonlyArray<readonly [string, t.Mixed, unknown]>) =>
    children.flatMap(([key, child, item]) => failingPaths(child, item, [...path, key]));
  let found: ReadonlyArray<string> = [];
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    const optional = codec instanceof t.PartialType;
    const props = Object.entries(codec.props as Record<string, t.Mixed>);
    if (isObject(value))
      found = inside(
        props.filter(([key]) => !optional || value[key] !== undefined).map(([k, c]) => [k, c, value[k]]),
      );
  } else if (codec instanceof t.IntersectionType) {
    found = (codec.types as ReadonlyArray<t.Mixed>).flatMap((member) => failingPaths(member, value, path));
  } else if (codec instanceof t.UnionType) {
    // The member meant is the one that fails at the fewest of the value's own fields (a message's `kind` alone).
    const fields = (paths: ReadonlyArray<string>) =>
      new Set(paths.map((p) => p.split('.')[path.length])).size;
    const tries = (codec.types as ReadonlyArray<t.Mixed>).map((member) => failingPaths(member, value, path));
    found = tries.reduce((best, next) =>
      fields(next) < fields(best) || (fields(next) === fields(best) && next.length < best.length)
        ? next
        : best,
    );
  } else if (codec instanceof t.ArrayType && Array.isArray(value)) {
    found = inside(Array.from(value, (item, i) => [String(i), codec.type as t.Mixed, item] as const));
    if (found.length === 0 && codec instanceof ArrayWithRule)
      found = codec.breaking(value).map((inner) => [...path, inner].join('.'));
  } else if (codec instanceof t.DictionaryType && isObject(value)) {
    found = inside(
      Object.entries(value).map(([key, item]) => [key, codec.codomain as t.Mixed, item] as const),
    );
  }
  return found.length > 0 ? found : [path.join('.') || '(root)'];
};

/**
 * Refuses to store a value that the codec its record is read with would reject: nothing is written, and the Left is a
 * `STORAGE_FAILURE` naming the record and the invalid fields, never their values (they may be personal data), not
 * retryable (the same value fails the same way). The codec's `is` decides: its strict types (finite numbers, valid
 * dates, arrays without holes, plain records) hold only for what `JSON.stringify` writes in a form the codec reads
 * back (record-check.test.ts). It costs 3–5 µs for a procedure where a JSON round trip and a decode cost 24–55 µs;
 * only a refusal walks the codec to name the fields.
 */
export const storable =
  <A>(record: string, codec: t.Type<A, unknown, unknown>) =>
  (value: A): E.Either<StorageError, A> =>
    codec.is(value)
      ? E.right(value)
      : E.left(refusal(record, [...new Set(failingPaths(codec, value))].join(', ')));

/**
 * A row in the form it is written (columns), checked with the codec it is read with: `is` on the row as it would be
 * read back decides, and only a refusal pays for the decode of the written row that names the fields.
 */
export const storableRow =
  <R>(record: string, codec: t.Mixed) =>
  (row: R, asRead: unknown): E.Either<StorageError, R> => {
    if (codec.is(asRead)) return E.right(row);
    const decoded = codec.decode(row);
    return E.left(refusal(record, E.isLeft(decoded) ? describeDecodeErrors(decoded.left) : '(root)'));
  };

/** One field of a row (a time, an error text) checked with the codec it is read with. */
export const storableField =
  <A>(record: string, field: string, codec: t.Type<A, unknown, unknown>) =>
  (value: A): E.Either<StorageError, A> =>
    codec.is(value) ? E.right(value) : E.left(refusal(record, field));

/** `JSON.stringify`, whose throw (a BigInt or a cycle in a field the codec does not know) is a refusal too. */
export const toJson =
  (record: string) =>
  (value: unknown): E.Either<StorageError, string> => {
    try {
      return E.right(JSON.stringify(value));
    } catch {
      return E.left(refusal(record, '(not JSON)'));
    }
  };

/** Tenant settings every store may keep: they read back with the domain's codec, as the SQL stores read them. */
export const storableSettings = storable(
  'tenant settings',
  TenantSettingsCodec as unknown as t.Type<TenantSettings, unknown, unknown>,
);

/** A document's bytes: a `Uint8Array` (a Buffer is one), as the SQL stores read them. */
export const storableDocument = storableField('document', 'bytes', BytesColumn);
