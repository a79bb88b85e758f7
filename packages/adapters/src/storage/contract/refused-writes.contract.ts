import {
  type AuditEvent,
  emptyBalance,
  type LedgerEntry,
  type OutboxMessage,
  type SignatureProcedure,
  type Storage,
  type TenantSettings,
} from '@paraphe/domain';
import type * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { expect, it } from 'vitest';
import type { StorageUnderTest } from '../storage.contract.js';
import { emailMessage, followUpMessage } from '../test-support/outbox-fixtures.js';
import {
  activeSettings,
  at,
  days,
  minutes,
  sentProcedure,
  T0,
  verifiedProcedure,
  withSigner,
} from '../test-support/procedure-fixtures.js';
import { assertLeftTag, run, runRight } from '../test-support/run-work.js';

// What a caller or a bug may hand over that the SQL stores could not read back once written. Casts: the types forbid
// all of it, which is the point.
const withEvent = (
  p: SignatureProcedure,
  index: number,
  change: Record<string, unknown>,
): SignatureProcedure =>
  ({
    ...p,
    events: p.events.map((event, i) => (i === index ? { ...event, ...change } : event)),
  }) as SignatureProcedure;

const unreadableProcedures = (
  p: SignatureProcedure,
): ReadonlyArray<readonly [string, SignatureProcedure]> => [
  ['events.2.ip', withEvent(p, 2, { ip: {} })],
  // A forwarded-for header read as a list.
  ['events.2.ip', withEvent(p, 2, { ip: ['198.51.100.23', '203.0.113.7'] })],
  ['events.4.data.codeNumber', withEvent(p, 4, { data: { codeNumber: Number.NaN } })],
  ['events.4.data.codeNumber', withEvent(p, 4, { data: { codeNumber: Number.POSITIVE_INFINITY } })],
  ['events.1.at', withEvent(p, 1, { at: new Date(Number.NaN) })],
  ['deadline', { ...p, deadline: new Date('not a date') }],
  ['events.7', { ...p, events: [...p.events, undefined as unknown as AuditEvent] }],
  ['version', { ...p, version: Number.NaN }],
  [
    'signers.0.identity.email',
    withSigner(p, 0, { identity: { ...p.signers[0]!.identity, email: undefined } }),
  ],
  ['signers.0.status', withSigner(p, 0, { status: 'signed' })],
  ['signers', { ...p, signers: [] }],
  ['signers.0.position', withSigner(p, 0, { position: 1 })],
  // A signed status with the credit still reserved: named at the status, the in-progress shape it is closest to.
  ['status', { ...p, status: 'signed' } as SignatureProcedure],
];

/** A refusal names the record and the fields, is not retryable, and echoes no value. */
const expectRefused = (result: E.Either<unknown, unknown>, record: string, fields: string) => {
  const error = assertLeftTag(result, 'StorageUnreadable');
  expect(error).toStrictEqual({
    _tag: 'StorageUnreadable',
    reason: `${record} not stored: it would not read back`,
    retryable: false,
    cause: `invalid fields: ${fields}`,
  });
  expect(JSON.stringify(error)).not.toContain('198.51.100.23');
};

const purchase = (quantity: number, when = T0): LedgerEntry => ({
  kind: 'purchased',
  tenantId: 'tenant-a',
  quantity,
  orderReference: 'order-1',
  at: when,
});

const everything = (storage: Storage) =>
  runRight(storage, (s) =>
    pipe(
      TE.Do,
      TE.bind('p1', () => s.procedures.get('p-1')),
      TE.bind('p2', () => s.procedures.get('p-2')),
      TE.bind('due', () => s.procedures.claimDue(at(T0, days(30)), 10)),
      TE.bind('outbox', () => s.outbox.list()),
      TE.bind('entries', () => s.ledger.entries('tenant-a')),
      TE.bind('balance', () => s.ledger.balanceForUpdate('tenant-a')),
      TE.bind('settings', () => s.tenants.getSettings('tenant-a')),
      TE.bind('document', () => s.documents.get('p-1', 'original')),
    ),
  );

export const refusedWritesContract = (storage: StorageUnderTest): void => {
  it('refuses to insert or update a procedure it could not read back, and keeps what it holds', async () => {
    const stored = verifiedProcedure({ id: 'p-1' });
    await runRight(storage(), (s) => s.procedures.insert(stored));
    for (const [fields, bad] of unreadableProcedures(verifiedProcedure({ id: 'p-2' }))) {
      expectRefused(await run(storage(), (s) => s.procedures.insert(bad)), 'procedure', fields);
    }
    const next = { ...withSigner(stored, 0, { remindersSent: 1 }), version: stored.version + 1 };
    for (const [fields, bad] of unreadableProcedures(next)) {
      expectRefused(
        await run(storage(), (s) => s.procedures.update(bad, stored.version)),
        'procedure',
        fields,
      );
    }
    const after = await everything(storage());
    expect(after.p1).toStrictEqual(O.some(stored));
    expect(after.p2).toStrictEqual(O.none);
    expect(after.due).toStrictEqual({ records: [stored], unreadable: [] });
    // Nothing was written: the stored version still takes the update.
    await runRight(storage(), (s) => s.procedures.update(next, stored.version));
    expect(await runRight(storage(), (s) => s.procedures.get('p-1'))).toStrictEqual(O.some(next));
  });

  it('refuses to enqueue a message it could not read back, and enqueues none of its batch', async () => {
    const email = emailMessage('m-1', true) as Extract<OutboxMessage, { kind: 'email' }>;
    const followUp = followUpMessage('m-2') as Extract<OutboxMessage, { kind: 'follow-up' }>;
    const bad: ReadonlyArray<readonly [string, OutboxMessage]> = [
      [
        'email.template.link',
        { ...email, email: { ...email.email, template: { link: 42 } } } as unknown as OutboxMessage,
      ],
      [
        'email.to',
        { ...email, email: { ...email.email, to: ['a@example.com'] } } as unknown as OutboxMessage,
      ],
      [
        'action.dueAt',
        { ...followUp, action: { ...followUp.action, dueAt: new Date(Number.NaN) } } as OutboxMessage,
      ],
      ['kind', { ...email, kind: 'fax' } as unknown as OutboxMessage],
    ];
    for (const [fields, message] of bad) {
      expectRefused(
        await run(storage(), (s) => s.outbox.enqueue([emailMessage('m-ok'), message], T0)),
        'outbox message',
        fields,
      );
    }
    expectRefused(
      await run(storage(), (s) => s.outbox.enqueue([emailMessage('m-ok')], new Date(Number.NaN))),
      'outbox message',
      'createdAt',
    );
    for (const [fields, message] of bad)
      expectRefused(
        await run(storage(), (s) => s.outbox.enqueueClaimed(message, T0)),
        'outbox message',
        fields,
      );
    expectRefused(
      await run(storage(), (s) => s.outbox.enqueueClaimed(emailMessage('m-ok'), new Date(Number.NaN))),
      'outbox message',
      'createdAt',
    );
    expect((await everything(storage())).outbox).toStrictEqual([]);
  });

  it('refuses an attempt report or a delivery it could not read back, and keeps the message as it was', async () => {
    await runRight(storage(), (s) => s.outbox.enqueue([emailMessage('m-1')], T0));
    const before = await runRight(storage(), (s) => s.outbox.list());
    expectRefused(
      await run(storage(), (s) => s.outbox.markAttemptFailed('m-1', 'timeout', new Date(Number.NaN))),
      'outbox message',
      'nextAttemptAt',
    );
    expectRefused(
      await run(storage(), (s) =>
        s.outbox.markAttemptFailed('m-1', {} as unknown as string, at(T0, minutes(1))),
      ),
      'outbox message',
      'lastError',
    );
    expectRefused(
      await run(storage(), (s) => s.outbox.markDelivered('m-1', new Date(Number.NaN))),
      'outbox message',
      'deliveredAt',
    );
    expect(await runRight(storage(), (s) => s.outbox.list())).toStrictEqual(before);
  });

  it('refuses ledger entries it could not read back, and moves no balance', async () => {
    const bad: ReadonlyArray<readonly [string, LedgerEntry]> = [
      ['quantity', purchase(Number.NaN)],
      ['quantity', purchase(1.5)],
      ['at', purchase(3, new Date(Number.NaN))],
      ['at', { ...purchase(3), at: '2025-03-03T09:00:00.000Z' } as unknown as LedgerEntry],
      ['procedure_id', { kind: 'reserved', tenantId: 'tenant-a', at: T0 } as unknown as LedgerEntry],
    ];
    for (const [fields, entry] of bad) {
      const refused = assertLeftTag(
        await run(storage(), (s) => s.ledger.append([purchase(2), entry])),
        'StorageUnreadable',
      );
      expect(refused.reason).toBe('ledger entry not stored: it would not read back');
      expect(String(refused.cause)).toContain(fields);
    }
    const after = await everything(storage());
    expect({ entries: after.entries, balance: after.balance }).toStrictEqual({
      entries: [],
      balance: emptyBalance,
    });
  });

  it('refuses tenant settings and document bytes it could not read back', async () => {
    const settings = activeSettings('Acme');
    await runRight(storage(), (s) => s.tenants.saveSettings('tenant-a', settings));
    const bad = { ...settings, procedureLifetimeDays: Number.NaN } as TenantSettings;
    expectRefused(
      await run(storage(), (s) => s.tenants.saveSettings('tenant-a', bad)),
      'tenant settings',
      'procedureLifetimeDays',
    );
    expectRefused(
      await run(storage(), (s) => s.documents.put('p-1', 'original', [1, 2, 3] as unknown as Uint8Array)),
      'document',
      'bytes',
    );
    const after = await everything(storage());
    expect(after.settings).toStrictEqual(O.some(settings));
    expect(after.document).toStrictEqual(O.none);
  });

  it('reads everything back after refusing, in every read a sweep makes', async () => {
    const due = sentProcedure({ id: 'p-1', lifetimeDays: 1 });
    const awaiting = sentProcedure({ id: 'p-2', lifetimeDays: 20 });
    await runRight(storage(), (s) =>
      pipe(
        s.procedures.insert(due),
        TE.chain(() => s.procedures.insert(awaiting)),
        TE.chain(() => s.outbox.enqueue([emailMessage('m-1')], T0)),
      ),
    );
    for (const [, bad] of unreadableProcedures(verifiedProcedure({ id: 'p-3' })))
      await run(storage(), (s) => s.procedures.insert(bad));
    await run(storage(), (s) =>
      s.outbox.enqueue([{ ...emailMessage('m-2'), id: 7 } as unknown as OutboxMessage], T0),
    );
    const now = at(T0, days(2));
    expect(await runRight(storage(), (s) => s.procedures.listAwaitingSigner(now, 10))).toStrictEqual({
      records: [awaiting],
      unreadable: [],
    });
    expect(await runRight(storage(), (s) => s.procedures.claimDue(now, 10))).toStrictEqual({
      records: [due],
      unreadable: [],
    });
    const claimed = await runRight(storage(), (s) => s.outbox.claimDue(now, 10));
    expect(claimed.records.map((r) => r.message)).toStrictEqual([emailMessage('m-1')]);
    expect(claimed.unreadable).toStrictEqual([]);
  });
};
