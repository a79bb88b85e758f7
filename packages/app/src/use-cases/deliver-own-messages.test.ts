import { makeInMemoryStorage } from '@paraphe/adapters';
import {
  deliveryError,
  type LifecycleNotification,
  type LifecycleNotifier,
  type Logger,
  type Storage,
} from '@paraphe/domain';
import { describe, expect, it, vi } from 'vitest';
import { type Harness, right, seller } from '../test-support/harness.js';
import { readyHarness, send, sendInput } from '../test-support/story.js';

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

/**
 * An in-memory storage that counts units of work and procedure reads, and can run `before` ahead of the next unit of
 * work (another request slipping in between two of a call's units of work).
 */
const observedStorage = () => {
  const inner = makeInMemoryStorage();
  const seen = { unitsOfWork: 0, procedureReads: 0 };
  let before: (() => Promise<unknown>) | undefined;
  const storage: Storage = {
    unitOfWork: (work) => async () => {
      const first = before;
      before = undefined;
      await first?.();
      seen.unitsOfWork++;
      return inner.unitOfWork((session) =>
        work({
          ...session,
          procedures: {
            ...session.procedures,
            get: (id) => {
              seen.procedureReads++;
              return session.procedures.get(id);
            },
          },
        }),
      )();
    },
  };
  return {
    storage,
    seen,
    beforeNextUnitOfWork: (run: () => Promise<unknown>) => {
      before = run;
    },
  };
};

/** A logger that calls `onDelivered` with each message the outbox reports delivered. */
const deliveryHook = (onDelivered: (kind: string) => void): Logger => ({
  info: (fields, message) => {
    if (message === 'outbox message delivered') onDelivered(String(fields.kind));
  },
  warn: () => undefined,
  error: () => undefined,
});

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
    await vi.waitFor(async () =>
      expect(await notification(h, b.id, 'declined')).toMatchObject({ status: 'delivered', attempts: 1 }),
    );

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

describe("a send's own delivery, in units of work", () => {
  it('takes two and reads nothing again: the send claims its invitation, one records it with the move to sent and claims the CRM notice, whose mark is recorded after the answer', async () => {
    const observed = observedStorage();
    const h = await readyHarness({ storage: observed.storage });
    const before = { ...observed.seen };
    const view = await send(h, 'q1');
    expect(view.status).toBe('sent');
    expect({
      unitsOfWork: observed.seen.unitsOfWork - before.unitsOfWork,
      procedureReads: observed.seen.procedureReads - before.procedureReads,
    }).toEqual({ unitsOfWork: 2, procedureReads: 0 });
    expect(h.crm.notifications.map((n) => n.type)).toEqual(['invitation_sent']);
    // The notice left; until its mark is written it keeps its claim, so no one delivers it again.
    let reads = 0;
    const listed = () => {
      reads++;
      return outbox(h);
    };
    const [invitation, notice] = await listed();
    expect([invitation?.status, invitation?.attempts]).toEqual(['delivered', 1]);
    expect(notice).toMatchObject({ status: 'pending', attempts: 0 });
    expect(notice!.nextAttemptAt.getTime()).toBeGreaterThan(h.clock.now().getTime());
    await vi.waitFor(async () =>
      expect((await listed()).map((r) => [r.message.kind, r.status, r.attempts])).toEqual([
        ['email', 'delivered', 1],
        ['notification', 'delivered', 1],
      ]),
    );
    expect(observed.seen.unitsOfWork - before.unitsOfWork - reads).toBe(3);
    expect(await right(h.paraphe.sender.getProcedure(seller, view.id))).toEqual(view);
  });

  it('answers with the procedure as stored when another request changed it while its invitation was on its way', async () => {
    const observed = observedStorage();
    let cancelling: Promise<unknown> | undefined;
    const h = await readyHarness({
      storage: observed.storage,
      logger: deliveryHook((kind) => {
        // The invitation left; before the send records it, the sender cancels.
        if (kind === 'invitation' && cancelling === undefined)
          observed.beforeNextUnitOfWork(async () => {
            const [procedure] = await right(h.paraphe.sender.listProcedures(seller, 'q1'));
            cancelling = right(h.paraphe.sender.cancel(seller, procedure!.id, 'Erreur de devis'));
            return cancelling;
          });
      }),
    });
    const sending = h.paraphe.sender.send(seller, sendInput('q1'))();
    const view = await right(() => sending);
    expect(cancelling).toBeDefined();
    expect(view.status).toBe('cancelled');
    expect((await right(h.paraphe.sender.getProcedure(seller, view.id))).status).toBe('cancelled');
    const invitation = (await outbox(h)).find((r) => r.message.kind === 'email');
    expect(invitation).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('still delivers the message claimed for a call that failed after its change committed', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    // Asked for straight from the link, the code opens the procedure on the way (a CRM notice, claimed as queued),
    // then the SMS is refused: the call fails, its change stays.
    h.sms.failNext(deliveryError(false, 'INVALID_NUMBER'));
    const failed = await h.paraphe.signer.requestCode(h.tokenFor(sent.id))();
    expect(failed).toMatchObject({ _tag: 'Left', left: { code: 'DELIVERY_FAILURE' } });
    expect(h.crm.notifications.map((n) => n.type)).toContain('opened');
    await vi.waitFor(async () =>
      expect(await notification(h, sent.id, 'opened')).toMatchObject({ status: 'delivered', attempts: 1 }),
    );
  });

  it("claims nothing with a budget of zero: the invitation is the worker's at once", async () => {
    const h = await readyHarness({ requestBudgetMs: 0 });
    const view = await send(h, 'q1');
    expect(view.status).toBe('pending');
    const [invitation] = await outbox(h);
    expect(invitation).toMatchObject({ status: 'pending', attempts: 0 });
    expect(invitation!.nextAttemptAt.getTime()).toBeLessThanOrEqual(h.clock.now().getTime());
  });
});

describe('a delivery mark written after the answer', () => {
  /** Well past a claim's lease (5 minutes by default), well before the procedure's deadline. */
  const PAST_ANY_LEASE_MS = 60 * 60_000;
  const noticesOf = (h: Harness, procedureId: string) =>
    h.crm.notifications.filter((n) => n.procedureId === procedureId && n.type === 'invitation_sent');

  it('is written before the worker claims: a clock moved past the lease never delivers the notice again', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    expect(await notification(h, sent.id, 'invitation_sent')).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    h.clock.advanceBy(PAST_ANY_LEASE_MS);
    await right(h.paraphe.system.dispatchOutbox());
    expect(noticesOf(h, sent.id)).toHaveLength(1);
    expect(await notification(h, sent.id, 'invitation_sent')).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });
  });

  it('is written before close() closes the storage', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    await h.paraphe.close();
    expect(await notification(h, sent.id, 'invitation_sent')).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });
    expect(noticesOf(h, sent.id)).toHaveLength(1);
  });
});
