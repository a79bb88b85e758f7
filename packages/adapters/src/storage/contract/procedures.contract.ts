import { cancel, expire, type RecordBatch, type SignatureProcedure, type Storage } from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import { expect, it } from 'vitest';
import type { StorageUnderTest } from '../storage.contract.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../storage-rules.js';
import {
  advance,
  allInvited,
  at,
  days,
  minutes,
  pendingProcedure,
  sentProcedure,
  signedBy,
  signedProcedure,
  T0,
  tokenHashOf,
  verifiedProcedure,
  withSigner,
} from '../test-support/procedure-fixtures.js';
import { assertLeftTag, run, runRight } from '../test-support/run-work.js';

const insertAll = (storage: Storage, procedures: ReadonlyArray<SignatureProcedure>) =>
  Promise.all(procedures.map((p) => runRight(storage, (s) => s.procedures.insert(p))));

/** The ids of a batch whose every row decoded (nothing written through the port can be unreadable). */
const ids = (batch: RecordBatch<SignatureProcedure>) => {
  expect(batch.unreadable).toStrictEqual([]);
  return batch.records.map((p) => p.id);
};
const nothing: RecordBatch<never> = { records: [], unreadable: [] };

export const proceduresContract = (storage: StorageUnderTest): void => {
  it('finds a stored procedure by id, token hash and idempotency key; unknown → None', async () => {
    const p = pendingProcedure({ id: 'p-1', idempotencyKey: 'key-1' }).procedure;
    await runRight(storage(), (s) => s.procedures.insert(p));
    const found = await runRight(storage(), (s) => s.procedures.get('p-1'));
    expect(found).toStrictEqual(O.some(p));
    expect(await runRight(storage(), (s) => s.procedures.findByTokenHash(tokenHashOf('p-1')))).toStrictEqual(
      O.some(p),
    );
    expect(
      await runRight(storage(), (s) => s.procedures.findByIdempotencyKey('tenant-a', 'key-1')),
    ).toStrictEqual(O.some(p));
    expect(await runRight(storage(), (s) => s.procedures.get('nope'))).toStrictEqual(O.none);
    expect(await runRight(storage(), (s) => s.procedures.findByTokenHash(tokenHashOf('nope')))).toStrictEqual(
      O.none,
    );
    // An idempotency key belongs to its tenant.
    expect(
      await runRight(storage(), (s) => s.procedures.findByIdempotencyKey('tenant-b', 'key-1')),
    ).toStrictEqual(O.none);
  });

  it('brings a procedure back exactly: dates, sms codes, events, optional fields absent or present', async () => {
    const variants = [
      pendingProcedure({ id: 'p-pending' }).procedure,
      verifiedProcedure({ id: 'p-verified', idempotencyKey: 'k' }),
      signedProcedure({ id: 'p-signed' }),
    ];
    await insertAll(storage(), variants);
    for (const p of variants) {
      expect(await runRight(storage(), (s) => s.procedures.get(p.id))).toStrictEqual(O.some(p));
    }
  });

  it('refuses a second insert of the same id, or of an idempotency key the tenant already used', async () => {
    const p = pendingProcedure({ id: 'p-1', idempotencyKey: 'key-1' }).procedure;
    await runRight(storage(), (s) => s.procedures.insert(p));
    assertLeftTag(await run(storage(), (s) => s.procedures.insert(p)), 'StorageConcurrentChange');
    const sameKey = pendingProcedure({ id: 'p-2', idempotencyKey: 'key-1' }).procedure;
    assertLeftTag(await run(storage(), (s) => s.procedures.insert(sameKey)), 'StorageConcurrentChange');
    const otherTenant = pendingProcedure({ id: 'p-3', tenantId: 'tenant-b', idempotencyKey: 'key-1' });
    await runRight(storage(), (s) => s.procedures.insert(otherTenant.procedure));
  });

  it('lists the procedures of a quote, oldest first, within the tenant', async () => {
    const quoteId = 'quote-1';
    const later = pendingProcedure({ id: 'p-b', quoteId, now: at(T0, days(2)) }).procedure;
    const earlier = advance(pendingProcedure({ id: 'p-a', quoteId }).procedure, cancel('user-1', at(T0, 1)));
    await insertAll(storage(), [later, earlier]);
    await insertAll(storage(), [pendingProcedure({ id: 'p-c', quoteId, tenantId: 'tenant-b' }).procedure]);
    expect(await runRight(storage(), (s) => s.procedures.listByQuote('tenant-a', quoteId))).toStrictEqual([
      earlier,
      later,
    ]);
    expect(await runRight(storage(), (s) => s.procedures.listByQuote('tenant-a', 'quote-x'))).toStrictEqual(
      [],
    );
  });

  it('updates only from the expected version', async () => {
    const p = sentProcedure({ id: 'p-1' });
    await runRight(storage(), (s) => s.procedures.insert(p));
    const cancelled = advance(p, cancel('user-1', at(T0, minutes(10))));
    const stale = advance(p, cancel('user-2', at(T0, minutes(11))));
    await runRight(storage(), (s) => s.procedures.update(cancelled, p.version));
    expect(
      assertLeftTag(
        await run(storage(), (s) => s.procedures.update(stale, p.version)),
        'StorageConcurrentChange',
      ),
    ).toMatchObject({ retryable: true, expectedVersion: p.version, storedVersion: cancelled.version });
    expect(await runRight(storage(), (s) => s.procedures.get('p-1'))).toStrictEqual(O.some(cancelled));
  });

  it("refuses an update that would change a procedure's identity, and keeps the stored procedure", async () => {
    const p = sentProcedure({ id: 'p-1', idempotencyKey: 'key-1' });
    await runRight(storage(), (s) => s.procedures.insert(p));
    const cancelled = advance(p, cancel('user-1', at(T0, minutes(10))));
    const { idempotencyKey: _dropped, ...withoutKey } = cancelled;
    const changes: ReadonlyArray<readonly [string, SignatureProcedure]> = [
      ['tenantId', { ...cancelled, tenantId: 'tenant-b' }],
      ['quoteId', { ...cancelled, quoteId: 'quote-other' }],
      ['tokenHash', withSigner(cancelled, 0, { tokenHash: tokenHashOf('another token') })],
      ['idempotencyKey', { ...cancelled, idempotencyKey: 'key-2' }],
      ['idempotencyKey', withoutKey],
      ['createdAt', { ...cancelled, createdAt: at(T0, minutes(1)) }],
    ];
    for (const [field, changed] of changes) {
      const refused = await run(storage(), (s) => s.procedures.update(changed, p.version));
      expect(assertLeftTag(refused, 'StorageBroken')).toMatchObject({
        retryable: false,
        reason: `a stored procedure's ${field} cannot change`,
      });
    }
    expect(await runRight(storage(), (s) => s.procedures.get('p-1'))).toStrictEqual(O.some(p));
    await runRight(storage(), (s) => s.procedures.update(cancelled, p.version));
    expect(await runRight(storage(), (s) => s.procedures.get('p-1'))).toStrictEqual(O.some(cancelled));
  });

  it('claims due procedures awaiting the signer only, earliest deadline first, up to the limit', async () => {
    const due1 = sentProcedure({ id: 'due-1', lifetimeDays: 1 });
    const due2 = verifiedProcedure({ id: 'due-2', lifetimeDays: 2 });
    const due3 = sentProcedure({ id: 'due-3', lifetimeDays: 3 });
    const notYet = sentProcedure({ id: 'not-yet', lifetimeDays: 30 });
    const pending = pendingProcedure({ id: 'pending', lifetimeDays: 1 }).procedure;
    const signed = signedProcedure({ id: 'signed', lifetimeDays: 1 });
    await insertAll(storage(), [notYet, due3, pending, due2, signed, due1]);
    const now = at(due3.deadline, 0); // deadline ≤ now counts as due
    expect(ids(await runRight(storage(), (s) => s.procedures.claimDue(now, 2)))).toStrictEqual([
      'due-1',
      'due-2',
    ]);
    // A claim keeps the others away until its lease lapses.
    expect(ids(await runRight(storage(), (s) => s.procedures.claimDue(now, 10)))).toStrictEqual(['due-3']);
    expect(await runRight(storage(), (s) => s.procedures.claimDue(now, 10))).toStrictEqual(nothing);
    const afterLease = at(now, DEFAULT_CLAIM_LEASE_MS + 1);
    expect(ids(await runRight(storage(), (s) => s.procedures.claimDue(afterLease, 10)))).toStrictEqual([
      'due-1',
      'due-2',
      'due-3',
    ]);
  });

  it('tells the earliest overdue deadline of a procedure awaiting its signer, claimed or not; none when none is due', async () => {
    const later = sentProcedure({ id: 'later', lifetimeDays: 3 });
    const earlier = verifiedProcedure({ id: 'earlier', lifetimeDays: 2 });
    const pending = pendingProcedure({ id: 'pending', lifetimeDays: 1 }).procedure;
    const signed = signedProcedure({ id: 'signed', lifetimeDays: 1 });
    expect(
      await runRight(storage(), (s) => s.procedures.oldestOverdue(at(later.deadline, days(1)))),
    ).toStrictEqual(O.none);
    await insertAll(storage(), [later, pending, earlier, signed]);
    expect(
      await runRight(storage(), (s) => s.procedures.oldestOverdue(at(earlier.deadline, -1))),
    ).toStrictEqual(O.none);
    const now = at(later.deadline, days(1));
    expect(await runRight(storage(), (s) => s.procedures.oldestOverdue(now))).toStrictEqual(
      O.some(earlier.deadline),
    );
    await runRight(storage(), (s) => s.procedures.claimDue(now, 10));
    expect(await runRight(storage(), (s) => s.procedures.oldestOverdue(now))).toStrictEqual(
      O.some(earlier.deadline),
    );
  });

  it('no longer claims a procedure once it expired', async () => {
    const p = sentProcedure({ id: 'p-1', lifetimeDays: 1 });
    await runRight(storage(), (s) => s.procedures.insert(p));
    const [claimed] = (await runRight(storage(), (s) => s.procedures.claimDue(p.deadline, 10))).records;
    expect(claimed).toStrictEqual(p);
    const expired = advance(p, expire(p.deadline));
    await runRight(storage(), (s) => s.procedures.update(expired, p.version));
    expect(
      await runRight(storage(), (s) => s.procedures.claimDue(at(p.deadline, days(1)), 10)),
    ).toStrictEqual(nothing);
  });

  it('lists procedures still awaiting the signer before their deadline, earliest first, up to the limit', async () => {
    const soon = sentProcedure({ id: 'soon', lifetimeDays: 2 });
    const later = verifiedProcedure({ id: 'later', lifetimeDays: 5 });
    const latest = sentProcedure({ id: 'latest', lifetimeDays: 9 });
    const past = sentProcedure({ id: 'past', lifetimeDays: 1 });
    const signed = signedProcedure({ id: 'signed', lifetimeDays: 10 });
    const pending = pendingProcedure({ id: 'pending', lifetimeDays: 10 }).procedure;
    await insertAll(storage(), [latest, signed, past, later, pending, soon]);
    const now = past.deadline; // a deadline equal to now is no longer awaiting
    expect(ids(await runRight(storage(), (s) => s.procedures.listAwaitingSigner(now, 2)))).toStrictEqual([
      'soon',
      'later',
    ]);
    expect(ids(await runRight(storage(), (s) => s.procedures.listAwaitingSigner(now, 10)))).toStrictEqual([
      'soon',
      'later',
      'latest',
    ]);
  });

  // Several signers (issue #18): each signer's link is a key of the procedure.
  it('finds a procedure of three signers by each of their tokens, and by no other', async () => {
    const p = allInvited({ id: 'p-3', signers: 3, signingOrder: 'parallel' });
    const other = sentProcedure({ id: 'p-1' });
    await insertAll(storage(), [p, other]);
    for (const position of [0, 1, 2])
      expect(
        await runRight(storage(), (s) => s.procedures.findByTokenHash(tokenHashOf('p-3', position))),
      ).toStrictEqual(O.some(p));
    for (const missing of [tokenHashOf('p-3', 3), tokenHashOf('p-1', 1), tokenHashOf('p-2')])
      expect(await runRight(storage(), (s) => s.procedures.findByTokenHash(missing))).toStrictEqual(O.none);
    expect(await runRight(storage(), (s) => s.procedures.findByTokenHash(tokenHashOf('p-1')))).toStrictEqual(
      O.some(other),
    );
  });

  it("round-trips an update that moves one signer on, and finds it by every signer's token after", async () => {
    const first = sentProcedure({ id: 'p-3', signers: 3 });
    await runRight(storage(), (s) => s.procedures.insert(first));
    const secondInvited = signedBy({ id: 'p-3', signers: 3 }, 1);
    expect(secondInvited.signers.map((signer) => signer.status)).toStrictEqual(['signed', 'sent', 'waiting']);
    await runRight(storage(), (s) => s.procedures.update(secondInvited, first.version));
    for (const position of [0, 1, 2])
      expect(
        await runRight(storage(), (s) => s.procedures.findByTokenHash(tokenHashOf('p-3', position))),
      ).toStrictEqual(O.some(secondInvited));
    const done = signedProcedure({ id: 'p-3', signers: 3 });
    await runRight(storage(), (s) => s.procedures.update(done, secondInvited.version));
    expect(await runRight(storage(), (s) => s.procedures.get('p-3'))).toStrictEqual(O.some(done));
  });

  it("refuses an insert whose later signer's token another procedure holds, and writes nothing", async () => {
    const holder = sentProcedure({ id: 'p-1', signers: 2 });
    await runRight(storage(), (s) => s.procedures.insert(holder));
    // Signer 0's token is fresh: only signer 2's collides, with the holder's second signer.
    const clash = withSigner(sentProcedure({ id: 'p-2', signers: 3, idempotencyKey: 'key-2' }), 2, {
      tokenHash: tokenHashOf('p-1', 1),
    });
    // Two signers of one procedure with one link: the second link would find nobody else's procedure, but is no key.
    const twice = withSigner(sentProcedure({ id: 'p-3', signers: 2 }), 1, { tokenHash: tokenHashOf('p-3') });
    for (const refused of [clash, twice]) {
      const result = await run(storage(), (s) => s.procedures.insert(refused));
      expect(assertLeftTag(result, 'StorageBroken')).toMatchObject({
        retryable: false,
        reason: 'duplicate signing token hash',
      });
      expect(await runRight(storage(), (s) => s.procedures.get(refused.id))).toStrictEqual(O.none);
      expect(
        await runRight(storage(), (s) => s.procedures.findByTokenHash(tokenHashOf(refused.id))),
      ).toStrictEqual(O.none);
    }
    expect(
      await runRight(storage(), (s) => s.procedures.findByIdempotencyKey('tenant-a', 'key-2')),
    ).toStrictEqual(O.none);
    expect(
      await runRight(storage(), (s) => s.procedures.findByTokenHash(tokenHashOf('p-1', 1))),
    ).toStrictEqual(O.some(holder));
    // The fresh tokens of the refused inserts were not kept either: a procedure may take them now.
    const later = sentProcedure({ id: 'p-2', signers: 2 });
    await runRight(storage(), (s) => s.procedures.insert(later));
    expect(
      await runRight(storage(), (s) => s.procedures.findByTokenHash(tokenHashOf('p-2', 1))),
    ).toStrictEqual(O.some(later));
  });

  it("refuses an update that would change a later signer's token, or the number of signers", async () => {
    const p = sentProcedure({ id: 'p-3', signers: 3 });
    await runRight(storage(), (s) => s.procedures.insert(p));
    const next = { ...p, version: p.version + 1 } as SignatureProcedure;
    const changes = [
      withSigner(next, 2, { tokenHash: tokenHashOf('another token') }),
      { ...next, signers: next.signers.slice(0, 2) } as SignatureProcedure,
      { ...next, signers: next.signers.slice(0, 1) } as SignatureProcedure,
    ];
    for (const changed of changes) {
      const refused = await run(storage(), (s) => s.procedures.update(changed, p.version));
      expect(assertLeftTag(refused, 'StorageBroken')).toMatchObject({
        retryable: false,
        reason: "a stored procedure's signer tokens cannot change",
      });
    }
    expect(await runRight(storage(), (s) => s.procedures.get('p-3'))).toStrictEqual(O.some(p));
  });
};
