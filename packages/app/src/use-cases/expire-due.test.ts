import { describe, expect, it } from 'vitest';
import { right, seller, TENANT } from '../test-support/harness.js';
import { DAY, MINUTE, readyHarness, send, verify } from '../test-support/story.js';

const ledger = async (h: Awaited<ReturnType<typeof readyHarness>>) =>
  right(() => h.storage.unitOfWork((session) => session.ledger.entries(TENANT))());

describe('the expiry sweep', () => {
  it('expires only procedures past their deadline, whatever step the signer reached', async () => {
    const h = await readyHarness({ credits: 5, quotes: 4 });
    const sent = await send(h, 'q1');
    const opened = await send(h, 'q2');
    await right(h.paraphe.signer.open(h.tokenFor(opened.id)));
    const verified = await send(h, 'q3');
    await verify(h, verified.id);
    h.clock.advanceBy(DAY);
    const later = await send(h, 'q4');
    expect(await right(h.paraphe.system.expireDue())).toBe(0);
    h.clock.advanceBy(14 * DAY - MINUTE);
    expect(await right(h.paraphe.system.expireDue())).toBe(0);
    h.clock.advanceBy(MINUTE);
    expect(await right(h.paraphe.system.expireDue())).toBe(3);
    for (const { id } of [sent, opened, verified]) {
      expect(await right(h.paraphe.sender.getProcedure(seller, id))).toMatchObject({
        status: 'expired',
        credit: 'released',
      });
    }
    expect((await right(h.paraphe.sender.getProcedure(seller, later.id))).status).toBe('sent');
    expect(await right(h.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 5,
      available: 4,
      reserved: 1,
      captured: 0,
    });
    expect(await right(h.paraphe.system.expireDue())).toBe(0);
  });

  it('run twice at once, releases each credit once', async () => {
    const h = await readyHarness({ credits: 3 });
    const ids = [(await send(h, 'q1')).id, (await send(h, 'q2')).id, (await send(h, 'q3')).id];
    h.clock.advanceBy(15 * DAY);
    const [a, b] = await Promise.all([h.paraphe.system.expireDue()(), h.paraphe.system.expireDue()()]);
    expect(a._tag === 'Right' && b._tag === 'Right' ? a.right + b.right : -1).toBe(3);
    const released = (await ledger(h)).filter((e) => e.kind === 'released');
    expect(released.map((e) => (e.kind === 'released' ? e.procedureId : '')).sort()).toEqual([...ids].sort());
    expect(await right(h.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 3,
      available: 3,
      reserved: 0,
      captured: 0,
    });
  });

  it('tells the CRM and the sender, once each', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    h.clock.advanceBy(15 * DAY);
    await right(h.paraphe.system.runPeriodicJobs());
    await right(h.paraphe.system.runPeriodicJobs());
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['sent', 'expired']);
    expect(h.mailer.sent.filter((m) => m.kind === 'expired-notification')).toEqual([
      expect.objectContaining({ procedureId: sent.id, to: 'bob@acme.example' }),
    ]);
  });
});
