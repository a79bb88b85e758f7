import { permanentMailFailure } from '@paraphe/adapters';
import { deliveryError } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { type Harness, right, seller } from '../test-support/harness.js';
import { severalSignersHarness, stored } from '../test-support/several-signers.js';
import { DAY, sendInput } from '../test-support/story.js';

const TWO_IN_SEQUENCE = { contactIds: ['c-1', 'c-2'] } as const;

/** The signer at `position` opens their link, verifies their code and signs. */
const signAs = async (h: Harness, procedureId: string, position: number) => {
  const token = h.tokenOf(procedureId, position);
  await right(h.paraphe.signer.open(token));
  await right(h.paraphe.signer.requestCode(token));
  await right(h.paraphe.signer.verifyCode(token, h.lastCode(procedureId)));
  await right(h.paraphe.signer.sign(token, true));
};

const mailTo = (h: Harness, procedureId: string, to: string) =>
  h.mailer.sent.filter((m) => m.procedureId === procedureId && m.to === to && m.kind === 'invitation');

describe('delivering the invitations of several signers', () => {
  it('the second signer’s invitation, refused for good, fails the procedure for everyone and releases the one credit', async () => {
    const h = await severalSignersHarness();
    const sent = await right(h.paraphe.sender.send(seller, sendInput('q1', { signers: TWO_IN_SEQUENCE })));
    h.mailer.failNext(permanentMailFailure());
    await signAs(h, sent.id, 0);
    const procedure = await stored(h, sent.id);
    expect(procedure.status).toBe('failed');
    expect(procedure.credit).toBe('released');
    expect(procedure.signers.map((s) => s.status)).toEqual(['signed', 'pending']);
    expect(procedure.events.find((e) => e.type === 'invitation_failed')?.data).toEqual({
      credit: 'released',
      reason: 'SMTP_REJECTED',
      signer: 2,
    });
    expect(await right(h.paraphe.sender.getCredits(seller))).toMatchObject({ reserved: 0, captured: 0 });
    expect(mailTo(h, sent.id, 'paul.durand@example.fr')).toHaveLength(0);
  });

  it('a retried invitation keeps its signer pending while the others are sent, and the procedure stands with those reached', async () => {
    const h = await severalSignersHarness();
    h.mailer.failNext(deliveryError(true, 'TIMEOUT'));
    const sent = await right(
      h.paraphe.sender.send(seller, sendInput('q1', { signers: { ...TWO_IN_SEQUENCE, order: 'parallel' } })),
    );
    let procedure = await stored(h, sent.id);
    expect(procedure.signers.map((s) => s.status)).toEqual(['pending', 'sent']);
    // The reached signer is reminded and swept like any other: the procedure is `sent`, not held at `pending`.
    expect(procedure.status).toBe('sent');
    const retry = procedure.events.find((e) => e.type === 'delivery_retry_scheduled');
    expect(retry?.data).toMatchObject({ reason: 'TIMEOUT', attempt: 1, signer: 1 });

    h.clock.advanceBy(DAY);
    await right(h.paraphe.system.dispatchOutbox());
    procedure = await stored(h, sent.id);
    expect(procedure.signers.map((s) => s.status)).toEqual(['sent', 'sent']);
    expect(procedure.status).toBe('sent');
    expect(mailTo(h, sent.id, 'claire.martin@example.fr')).toHaveLength(1);
    expect(mailTo(h, sent.id, 'paul.durand@example.fr')).toHaveLength(1);
  });

  it('the next signer’s invitation still queued at the deadline is given up: the procedure expires, the invitation never leaves', async () => {
    const h = await severalSignersHarness();
    const sent = await right(h.paraphe.sender.send(seller, sendInput('q1', { signers: TWO_IN_SEQUENCE })));
    h.mailer.failNext(deliveryError(true, 'TIMEOUT'));
    await signAs(h, sent.id, 0);
    expect((await stored(h, sent.id)).signers.map((s) => s.status)).toEqual(['signed', 'pending']);

    h.clock.advanceBy(16 * DAY);
    await right(h.paraphe.system.dispatchOutbox());
    const procedure = await stored(h, sent.id);
    expect(procedure.status).toBe('expired');
    expect(procedure.credit).toBe('released');
    expect(mailTo(h, sent.id, 'paul.durand@example.fr')).toHaveLength(0);
  });

  it('invitations still queued when the sender cancels never leave, for any signer', async () => {
    const h = await severalSignersHarness({ dispatch: 'manual' });
    const sent = await right(
      h.paraphe.sender.send(seller, sendInput('q1', { signers: { ...TWO_IN_SEQUENCE, order: 'parallel' } })),
    );
    await right(h.paraphe.sender.cancel(seller, sent.id));
    await right(h.paraphe.system.dispatchOutbox());
    expect(h.mailer.sent.filter((m) => m.kind === 'invitation')).toHaveLength(0);
    expect((await stored(h, sent.id)).status).toBe('cancelled');
  });
});
