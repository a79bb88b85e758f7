import { hashSigningToken } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { admin, makeHarness, right, seller } from '../test-support/harness.js';
import { severalSignersHarness, stored, THREE_SIGNERS } from '../test-support/several-signers.js';
import { sendInput } from '../test-support/story.js';

const DAY = 24 * 3600 * 1000;

const setUp = async (reminders: object) => {
  const h = await makeHarness();
  await right(h.paraphe.admin.activate(admin));
  await right(h.paraphe.admin.orderCredits(admin, { quantity: 5, orderReference: 'PO-R' }));
  await right(h.paraphe.admin.updateSettings(admin, { reminders, procedureLifetimeDays: 10 }));
  return h;
};

const remindersOf = (h: Awaited<ReturnType<typeof makeHarness>>, procedureId: string) =>
  h.mailer.sent.filter((m) => m.procedureId === procedureId && m.kind === 'reminder');

describe('automatic reminders', () => {
  it('are off by default', async () => {
    const h = await makeHarness();
    await right(h.paraphe.admin.activate(admin));
    await right(h.paraphe.admin.orderCredits(admin, { quantity: 1, orderReference: 'PO' }));
    await h.putQuote('q');
    const sent = await right(h.paraphe.sender.send(seller, { quoteId: 'q', subject: 'S', body: 'B' }));
    h.clock.advanceBy(8 * DAY);
    expect((await right(h.paraphe.system.runPeriodicJobs())).reminded).toBe(0);
    expect(remindersOf(h, sent.id)).toHaveLength(0);
  });

  it('follow the interval and the count, carry a working link, and go on the timeline', async () => {
    const h = await setUp({ enabled: true, intervalDays: 2, maxCount: 2 });
    await h.putQuote('q');
    const sent = await right(h.paraphe.sender.send(seller, { quoteId: 'q', subject: 'S', body: 'B' }));
    const jobs = () => right(h.paraphe.system.runPeriodicJobs());

    h.clock.advanceBy(DAY);
    expect((await jobs()).reminded).toBe(0);
    h.clock.advanceBy(DAY);
    expect((await jobs()).reminded).toBe(1);
    expect((await jobs()).reminded).toBe(0);
    h.clock.advanceBy(2 * DAY);
    expect((await jobs()).reminded).toBe(1);
    h.clock.advanceBy(2 * DAY);
    expect((await jobs()).reminded).toBe(0);

    const reminders = remindersOf(h, sent.id);
    expect(reminders).toHaveLength(2);
    expect(reminders[0]?.subject).toBe(`Rappel : le devis D-q attend votre signature`);
    const link = reminders[0]?.template?.signingLink ?? '';
    expect(link).toMatch(/^https:\/\/crm\.example\.com\/sign\/[A-Za-z0-9_-]{43}$/);
    expect(reminders[0]?.text).toContain(link);
    expect((await right(h.paraphe.signer.open(link.slice(link.lastIndexOf('/') + 1)))).status).toBe('opened');
    const timeline = (await right(h.paraphe.sender.getProcedure(seller, sent.id))).timeline;
    expect(timeline.filter((e) => e.type === 'reminder_sent').map((e) => e.data.number)).toEqual([1, 2]);
  });

  it('stop at signature, decline, cancel and expiry', async () => {
    const h = await setUp({ enabled: true, intervalDays: 1, maxCount: 10 });
    const ids: Record<string, string> = {};
    for (const q of ['signed', 'declined', 'cancelled', 'waiting']) {
      await h.putQuote(q);
      ids[q] = (await right(h.paraphe.sender.send(seller, { quoteId: q, subject: 'S', body: 'B' }))).id;
    }
    const signerToken = h.tokenFor(ids.signed!);
    await right(h.paraphe.signer.open(signerToken));
    await right(h.paraphe.signer.requestCode(signerToken));
    await right(h.paraphe.signer.verifyCode(signerToken, h.lastCode(ids.signed!)));
    await right(h.paraphe.signer.sign(signerToken, true));
    await right(h.paraphe.signer.open(h.tokenFor(ids.declined!)));
    await right(h.paraphe.signer.decline(h.tokenFor(ids.declined!), 'Trop cher'));
    await right(h.paraphe.sender.cancel(seller, ids.cancelled!));

    for (let day = 1; day <= 12; day++) {
      h.clock.advanceBy(DAY);
      await right(h.paraphe.system.runPeriodicJobs());
    }
    expect(remindersOf(h, ids.signed!)).toHaveLength(0);
    expect(remindersOf(h, ids.declined!)).toHaveLength(0);
    expect(remindersOf(h, ids.cancelled!)).toHaveLength(0);
    // Lifetime 10 days, one a day from day 1: days 1..9, none at or after the deadline.
    expect(remindersOf(h, ids.waiting!)).toHaveLength(9);
    expect((await right(h.paraphe.sender.getProcedure(seller, ids.waiting!))).status).toBe('expired');
  });
});

describe('automatic reminders with several signers', () => {
  const setUpSeveral = async () => {
    const h = await severalSignersHarness({ quotes: 2 });
    await right(
      h.paraphe.admin.updateSettings(admin, { reminders: { enabled: true, intervalDays: 2, maxCount: 3 } }),
    );
    return h;
  };

  it('go to every awaited signer, each with their own link, and to no one else', async () => {
    const h = await setUpSeveral();
    const inSequence = await right(
      h.paraphe.sender.send(seller, sendInput('q1', { signers: THREE_SIGNERS })),
    );
    const inParallel = await right(
      h.paraphe.sender.send(seller, sendInput('q2', { signers: { ...THREE_SIGNERS, order: 'parallel' } })),
    );
    h.clock.advanceBy(2 * DAY);
    // In sequence only the first signer is awaited; in parallel all three.
    expect((await right(h.paraphe.system.runPeriodicJobs())).reminded).toBe(4);

    expect(remindersOf(h, inSequence.id).map((m) => [m.id, m.to])).toEqual([
      [`${inSequence.id}.reminder-0`, 'claire.martin@example.fr'],
    ]);
    const parallel = remindersOf(h, inParallel.id);
    expect(parallel.map((m) => [m.id, m.to, m.signerPosition])).toEqual([
      [`${inParallel.id}.reminder-0`, 'claire.martin@example.fr', 0],
      [`${inParallel.id}.reminder-2-0`, 'paul.durand@example.fr', 1],
      [`${inParallel.id}.reminder-3-0`, 'dan@acme.example', 2],
    ]);
    const procedure = await stored(h, inParallel.id);
    for (const [position, m] of parallel.entries()) {
      const link = m.template?.signingLink ?? '';
      expect(hashSigningToken(link.slice(link.lastIndexOf('/') + 1))).toBe(
        procedure.signers[position]!.tokenHash,
      );
      expect(procedure.signers[position]!.remindersSent).toBe(1);
    }
    expect(procedure.events.filter((e) => e.type === 'reminder_sent').map((e) => e.data)).toEqual([
      { number: 1, signer: 1 },
      { number: 1, signer: 2 },
      { number: 1, signer: 3 },
    ]);
    const sequence = await stored(h, inSequence.id);
    expect(sequence.signers.map((s) => s.remindersSent)).toEqual([1, 0, 0]);
  });

  it('stop for a signer who signed, and go on for the others', async () => {
    const h = await setUpSeveral();
    const sent = await right(
      h.paraphe.sender.send(seller, sendInput('q1', { signers: { ...THREE_SIGNERS, order: 'parallel' } })),
    );
    const token = h.tokenOf(sent.id, 1);
    await right(h.paraphe.signer.open(token));
    await right(h.paraphe.signer.requestCode(token));
    await right(h.paraphe.signer.verifyCode(token, h.lastCode(sent.id)));
    await right(h.paraphe.signer.sign(token, true));
    h.clock.advanceBy(2 * DAY);
    expect((await right(h.paraphe.system.runPeriodicJobs())).reminded).toBe(2);
    expect(remindersOf(h, sent.id).map((m) => m.to)).toEqual([
      'claire.martin@example.fr',
      'dan@acme.example',
    ]);
  });
});
