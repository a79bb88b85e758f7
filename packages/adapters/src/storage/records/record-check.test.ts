import type { OutboxMessage, SignatureProcedure, StorageError } from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { emailMessage, followUpMessage, notificationMessage } from '../test-support/outbox-fixtures.js';
import { pendingProcedure, signedProcedure, verifiedProcedure } from '../test-support/procedure-fixtures.js';
import { OutboxMessageCodec } from './outbox-codec.js';
import { ProcedureBodyCodec, procedureBody, storableProcedure } from './procedure-codec.js';
import { storable } from './record-check.js';

type Path = ReadonlyArray<string | number>;

/** Every place in a value a bug could put something else: objects, arrays and leaves (a Date is a leaf). */
const pathsOf = (value: unknown, path: Path = []): ReadonlyArray<Path> => {
  if (typeof value !== 'object' || value === null || value instanceof Date) return [path];
  const children = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [
    path,
    ...children.flatMap((key) => pathsOf((value as Record<string | number, unknown>)[key], [...path, key])),
  ];
};

// What JSON cannot hold, or holds as something else, and what a careless caller hands over (a forwarded-for header
// read as an array, an object for a string).
const HOSTILE: ReadonlyArray<() => unknown> = [
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => Number.NEGATIVE_INFINITY,
  () => undefined,
  () => null,
  () => ({}),
  () => [],
  () => ['198.51.100.23', '203.0.113.7'],
  () => new Date(Number.NaN),
  () => new Date('2025-03-03T09:00:00.000Z'),
  () => '2025-03-03T09:00:00.000Z',
  () => 'text',
  () => 1.5,
  () => -1,
  () => 7,
  () => true,
  () => new Map([['a', 1]]),
  () => [undefined],
  // biome-ignore lint/suspicious/noSparseArray: a hole is what this value is about
  () => [, 'x'],
];

type Change =
  | { readonly kind: 'set'; readonly path: Path; readonly value: () => unknown }
  | { readonly kind: 'delete'; readonly path: Path };

const changeOf = (paths: ReadonlyArray<Path>): fc.Arbitrary<Change> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('set' as const),
      path: fc.constantFrom(...paths),
      value: fc.constantFrom(...HOSTILE),
    }),
    // Deleting an array element leaves a hole; deleting a key, a missing field.
    fc.record({
      kind: fc.constant('delete' as const),
      path: fc.constantFrom(...paths.filter((p) => p.length > 0)),
    }),
  );

const applied = <A>(value: A, change: Change): unknown => {
  if (change.path.length === 0) return change.kind === 'set' ? change.value() : undefined;
  const copy = structuredClone(value) as unknown as Record<string | number, unknown>;
  const parent = change.path
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>(
      (node, key) => node[key] as Record<string | number, unknown>,
      copy,
    );
  const last = change.path[change.path.length - 1]!;
  if (change.kind === 'set') parent[last] = change.value();
  else delete parent[last];
  return copy;
};

const fieldsNamedBy = (refused: E.Either<StorageError, unknown>): ReadonlyArray<string> =>
  E.isLeft(refused) ? String(refused.left.cause).replace('invalid fields: ', '').split(', ') : [];

/**
 * What the write check relies on: whatever passes the codec's `is` is written by JSON.stringify in a form the codec
 * reads back; whatever fails it is refused, naming the place that was changed (or fields inside it).
 */
const expectIsToMeanReadable = <A>(
  record: string,
  codec: t.Type<A, unknown, unknown>,
  valid: ReadonlyArray<A>,
) => {
  const check = storable(record, codec);
  for (const value of valid) {
    expect(check(value)).toStrictEqual(E.right(value));
    expect(E.isRight(codec.decode(JSON.parse(JSON.stringify(value))))).toBe(true);
  }
  fc.assert(
    fc.property(
      fc.constantFrom(...valid).chain((value) => fc.tuple(fc.constant(value), changeOf(pathsOf(value)))),
      ([value, change]) => {
        const changed = applied(value, change) as A;
        if (codec.is(changed)) {
          const text = JSON.stringify(changed);
          expect(text, 'JSON cannot hold it at all').toBeDefined();
          expect(E.isRight(codec.decode(JSON.parse(text as string)))).toBe(true);
        } else {
          const where = change.path.join('.') || '(root)';
          for (const field of fieldsNamedBy(check(changed)))
            expect(where === '(root)' || field === where || field.startsWith(`${where}.`), field).toBe(true);
        }
      },
    ),
    { numRuns: 3000 },
  );
};

const procedures: ReadonlyArray<SignatureProcedure> = [
  pendingProcedure({ id: 'p-pending', idempotencyKey: 'k' }).procedure,
  verifiedProcedure({ id: 'p-verified' }),
  signedProcedure({ id: 'p-signed' }),
];
const messages: ReadonlyArray<OutboxMessage> = [
  emailMessage('m-1', true),
  followUpMessage('m-2'),
  notificationMessage('m-3'),
];

describe('the write check of stored records', () => {
  it('a procedure that passes `is` reads back after JSON; one that fails it fails `decode`', () => {
    expectIsToMeanReadable('procedure', ProcedureBodyCodec, procedures);
  });

  it('an outbox message that passes `is` reads back after JSON; one that fails it fails `decode`', () => {
    expectIsToMeanReadable('outbox message', OutboxMessageCodec, messages);
  });

  it('names the invalid fields of a refused procedure, never their values', () => {
    const p = verifiedProcedure({ id: 'p-1' });
    const events = p.events.map((event, i) =>
      i === 2 ? { ...event, ip: ['198.51.100.23'], data: { attempt: Number.NaN } } : event,
    );
    const refused = storableProcedure({ ...p, events } as unknown as SignatureProcedure);
    expect(refused).toStrictEqual(
      E.left({
        _tag: 'StorageUnreadable',
        reason: 'procedure not stored: it would not read back',
        retryable: false,
        cause: 'invalid fields: events.2.data.attempt, events.2.ip',
      }),
    );
    expect(JSON.stringify(refused)).not.toContain('198.51.100.23');
  });

  it('refuses a body JSON cannot write (a BigInt in a field the codec does not know)', () => {
    const p = { ...pendingProcedure({ id: 'p-1' }).procedure, extra: 1n } as unknown as SignatureProcedure;
    expect(procedureBody(p)).toMatchObject(
      E.left({ _tag: 'StorageUnreadable', cause: 'invalid fields: (not JSON)' }),
    );
  });
});
