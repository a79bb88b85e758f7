import type { LifecycleNotification, LifecycleNotifier } from '@paraphe/domain';
import { describe, expect, it, vi } from 'vitest';
import { type Harness, right, seller } from '../test-support/harness.js';
import { readyHarness, send } from '../test-support/story.js';

/** The CRM's notification endpoint, which can be made to hang: calls then wait until `answer()`. */
const hangingCrm = () => {
  const notified: string[] = [];
  let hanging = false;
  const waiting: Array<() => void> = [];
  return {
    notified,
    hang: () => {
      hanging = true;
    },
    answer: () => {
      hanging = false;
      for (const go of waiting.splice(0)) go();
    },
    wrap: (crm: LifecycleNotifier): LifecycleNotifier => ({
      notify: (n: LifecycleNotification) => async () => {
        notified.push(n.type);
        if (hanging) await new Promise<void>((resolve) => waiting.push(resolve));
        return crm.notify(n)();
      },
    }),
  };
};

const outbox = (h: Harness) => right(h.storage.unitOfWork((session) => session.outbox.list()));
const notification = async (h: Harness, procedureId: string, type: string) =>
  (await outbox(h)).find(
    (r) =>
      r.message.kind === 'notification' &&
      r.message.notification.procedureId === procedureId &&
      r.message.notification.type === type,
  );

const openWithCode = async (h: Harness, procedureId: string) => {
  const token = h.tokenFor(procedureId);
  await right(h.paraphe.signer.open(token));
  await right(h.paraphe.signer.requestCode(token));
  return token;
};

describe("a request's own delivery", () => {
  it('does not wait on a receiver that kept a delivery past a budget until that delivery settles; the worker takes what it left', async () => {
    const crm = hangingCrm();
    const h = await readyHarness({ notifier: crm.wrap, requestBudgetMs: 50 });
    const a = await send(h, 'q1');
    const b = await send(h, 'q2');
    const [tokenA, tokenB] = [await openWithCode(h, a.id), await openWithCode(h, b.id)];
    expect(crm.notified).toEqual(['invitation_sent', 'invitation_sent']);

    crm.hang();
    // The first request waits out its budget on the CRM; the delivery goes on in the background.
    await right(h.paraphe.signer.verifyCode(tokenA, h.lastCode(a.id)));
    expect(crm.notified).toHaveLength(3);
    // Meanwhile the CRM is not called by the next requests, the signer's or the sender's; other receivers are.
    await right(h.paraphe.signer.verifyCode(tokenB, h.lastCode(b.id)));
    const c = await send(h, 'q3');
    expect(c.status).toBe('sent');
    await right(h.paraphe.signer.sign(tokenA, true));
    expect(crm.notified).toHaveLength(3);
    expect(h.mailer.sent.map((m) => m.kind)).toEqual([
      'invitation',
      'invitation',
      'invitation',
      'signed-notification',
    ]);
    expect(h.crm.followUpActions.map((f) => f.procedureId)).toEqual([a.id]);
    // What they left is unclaimed: the worker's at once, not after a lease.
    const left = await notification(h, b.id, 'code_verified');
    expect(left).toMatchObject({ status: 'pending', attempts: 0 });
    expect(left!.nextAttemptAt.getTime()).toBeLessThanOrEqual(h.clock.now().getTime());

    // The CRM answers: the delivery that waited settles, and the next request delivers its own again.
    crm.answer();
    await vi.waitFor(async () =>
      expect(await notification(h, a.id, 'code_verified')).toMatchObject({ status: 'delivered' }),
    );
    await right(h.paraphe.signer.decline(tokenB, undefined));
    expect(await notification(h, b.id, 'declined')).toMatchObject({ status: 'delivered', attempts: 1 });

    await right(h.paraphe.system.dispatchOutbox());
    expect((await outbox(h)).filter((r) => r.status !== 'delivered')).toEqual([]);
    expect([...crm.notified].sort()).toEqual(
      [
        'invitation_sent',
        'invitation_sent',
        'code_verified',
        'code_verified',
        'invitation_sent',
        'opened',
        'opened',
        'signed',
        'declined',
      ].sort(),
    );
    expect(await right(h.paraphe.sender.getCredits(seller))).toMatchObject({ captured: 1, reserved: 1 });
  });
});
