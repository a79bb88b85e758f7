import { permanentMailFailure } from '@paraphe/adapters';
import { crmError, deliveryError } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { right, seller } from '../test-support/harness.js';
import { readyHarness, SECOND, send } from '../test-support/story.js';

const outbox = async (h: Awaited<ReturnType<typeof readyHarness>>) =>
  right(() => h.storage.unitOfWork((session) => session.outbox.list())());
const timeline = async (h: Awaited<ReturnType<typeof readyHarness>>, id: string) =>
  (await right(h.paraphe.sender.getProcedure(seller, id))).timeline.map((e) => e.type);

describe('outbox delivery', () => {
  it('with manual dispatch, the invitation waits for the job, which moves the procedure to sent', async () => {
    const h = await readyHarness({ dispatch: 'manual' });
    const view = await send(h, 'q1');
    expect(view.status).toBe('pending');
    expect(h.mailer.sent).toEqual([]);
    expect(await right(h.paraphe.system.dispatchOutbox())).toBe(2); // the invitation, then the CRM notification it causes
    expect((await right(h.paraphe.sender.getProcedure(seller, view.id))).status).toBe('sent');
    expect(h.mailer.sent.map((m) => m.kind)).toEqual(['invitation']);
    expect(await right(h.paraphe.system.dispatchOutbox())).toBe(0);
    expect((await outbox(h)).every((r) => r.status === 'delivered')).toBe(true);
  });

  it('a permanent invitation failure fails the procedure and gives the credit back', async () => {
    const h = await readyHarness();
    h.mailer.failNext(permanentMailFailure());
    const view = await send(h, 'q1');
    expect(view).toMatchObject({ status: 'failed', credit: 'released' });
    expect(await timeline(h, view.id)).toEqual(['procedure_created', 'invitation_failed']);
    expect(await right(h.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 3,
      available: 3,
      reserved: 0,
      captured: 0,
    });
    expect(h.mailer.sent).toEqual([]);
    expect((await outbox(h)).find((r) => r.message.id === `${view.id}.invitation`)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'SMTP_REJECTED',
    });
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['failed']);
    // A failed procedure does not block sending the quote again.
    expect((await send(h, 'q1')).status).toBe('sent');
  });

  it('a retryable failure is retried after the delay, then sent', async () => {
    const h = await readyHarness();
    h.mailer.failNext(deliveryError(true, 'TIMEOUT'));
    const view = await send(h, 'q1');
    expect(view.status).toBe('pending');
    expect(await timeline(h, view.id)).toContain('delivery_retry_scheduled');
    expect(await right(h.paraphe.system.dispatchOutbox())).toBe(0);
    h.clock.advanceBy(29 * SECOND);
    expect(await right(h.paraphe.system.dispatchOutbox())).toBe(0);
    h.clock.advanceBy(SECOND);
    expect(await right(h.paraphe.system.dispatchOutbox())).toBeGreaterThanOrEqual(1);
    expect((await right(h.paraphe.sender.getProcedure(seller, view.id))).status).toBe('sent');
    expect(h.mailer.sent.map((m) => m.kind)).toEqual(['invitation']);
    expect((await right(h.paraphe.sender.getCredits(seller))).reserved).toBe(1);
  });

  it('gives up after the last attempt: the procedure fails and the credit comes back', async () => {
    const h = await readyHarness();
    h.mailer.failNext(...Array.from({ length: 6 }, () => deliveryError(true, 'TIMEOUT')));
    const view = await send(h, 'q1');
    for (let i = 0; i < 5; i++) {
      h.clock.advanceBy(3600 * SECOND);
      await right(h.paraphe.system.dispatchOutbox());
    }
    expect(await right(h.paraphe.sender.getProcedure(seller, view.id))).toMatchObject({
      status: 'failed',
      credit: 'released',
    });
    expect((await timeline(h, view.id)).filter((t) => t === 'delivery_retry_scheduled')).toHaveLength(5);
    expect(h.mailer.sent).toEqual([]);
  });

  it('an invitation still queued at the deadline is never sent: the procedure expires and the sender is told, as by the sweep', async () => {
    const h = await readyHarness();
    h.mailer.failNext(deliveryError(true, 'TIMEOUT'));
    const view = await send(h, 'q1');
    h.clock.set(view.deadline);
    await right(h.paraphe.system.dispatchOutbox());
    expect(await right(h.paraphe.sender.getProcedure(seller, view.id))).toMatchObject({
      status: 'expired',
      credit: 'released',
    });
    expect(h.mailer.sent.map((m) => [m.kind, m.to])).toEqual([['expired-notification', 'bob@acme.example']]);
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['expired']);
  });

  it('a CRM that cannot name the sender does not hold that expiry up: no email, the credit comes back', async () => {
    let crmDown = false;
    const h = await readyHarness({
      quoteSource: (crm) => ({
        ...crm,
        getUser: (tenantId, userId) =>
          crmDown ? TE.left(crmError(true, 'HTTP_503')) : crm.getUser(tenantId, userId),
      }),
    });
    h.mailer.failNext(deliveryError(true, 'TIMEOUT'));
    const view = await send(h, 'q1');
    crmDown = true;
    h.clock.set(view.deadline);
    await right(h.paraphe.system.dispatchOutbox());
    expect(await right(h.paraphe.sender.getProcedure(seller, view.id))).toMatchObject({
      status: 'expired',
      credit: 'released',
    });
    expect(h.mailer.sent).toEqual([]);
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['expired']);
    expect((await right(h.paraphe.sender.getCredits(seller))).available).toBe(3);
  });

  it('does not invite the signer to a procedure cancelled before its invitation left', async () => {
    const h = await readyHarness({ dispatch: 'manual' });
    const view = await send(h, 'q1');
    await right(h.paraphe.sender.cancel(seller, view.id));
    await right(h.paraphe.system.dispatchOutbox());
    expect(h.mailer.sent.filter((m) => m.kind === 'invitation')).toEqual([]);
    expect((await right(h.paraphe.sender.getProcedure(seller, view.id))).status).toBe('cancelled');
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['cancelled']);
    expect((await right(h.paraphe.sender.getCredits(seller))).available).toBe(3);
  });
});
