import { defaultTenantSettings, type UserActor } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { admin, right, seller, TENANT } from '../test-support/harness.js';
import { expectRefusedUnchanged } from '../test-support/observe.js';
import { DAY, readyHarness, scopeOf, send, signQuote } from '../test-support/story.js';

const scope = {
  ...scopeOf('q1', 'q2', 'q3'),
  quotes: [...scopeOf('q1', 'q2', 'q3').quotes, ['globex', 'g1'] as const],
};
const globexUser: UserActor = { kind: 'user', tenantId: 'globex', userId: 'gus', role: 'user' };
const globexAdmin: UserActor = { kind: 'user', tenantId: 'globex', userId: 'gina', role: 'admin' };

/** A tenant `globex` with one procedure of its own, sent and opened. */
const withNeighbour = async () => {
  const h = await readyHarness();
  h.crm.putUser('globex', { id: 'gus', name: 'Gus', email: 'gus@globex.example' });
  await right(h.paraphe.admin.activate(globexAdmin));
  await right(h.paraphe.admin.orderCredits(globexAdmin, { quantity: 2, orderReference: 'G-1' }));
  await h.putQuote('g1', { tenantId: 'globex', ownerId: 'gus' });
  const theirs = await right(
    h.paraphe.sender.send(globexUser, { quoteId: 'g1', subject: 'Devis', body: 'x' }),
  );
  return { h, theirs };
};

describe('sender use cases', () => {
  it('getSettings and getCredits read the tenant’s own', async () => {
    const h = await readyHarness();
    expect(await right(h.paraphe.sender.getSettings(seller))).toEqual({
      ...defaultTenantSettings(TENANT),
      esignatureActive: true,
    });
    expect(await right(h.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 3,
      available: 3,
      reserved: 0,
      captured: 0,
    });
    expect(await right(h.paraphe.sender.getCredits(globexUser))).toEqual({
      purchased: 0,
      available: 0,
      reserved: 0,
      captured: 0,
    });
  });

  it('getProcedure shows status, masked mobile and timeline; listProcedures lists a quote’s procedures oldest first', async () => {
    const h = await readyHarness();
    const first = await send(h, 'q1');
    await right(h.paraphe.sender.cancel(seller, first.id));
    const second = await send(h, 'q1');
    const view = await right(h.paraphe.sender.getProcedure(seller, second.id));
    expect(view).toMatchObject({
      id: second.id,
      status: 'sent',
      signer: { name: 'Claire Martin', maskedMobile: '+336••••••78' },
    });
    expect(view.timeline.map((e) => e.type)).toEqual(['procedure_created', 'invitation_sent']);
    expect((await right(h.paraphe.sender.listProcedures(seller, 'q1'))).map((p) => [p.id, p.status])).toEqual(
      [
        [first.id, 'cancelled'],
        [second.id, 'sent'],
      ],
    );
    expect(await right(h.paraphe.sender.listProcedures(seller, 'unknown'))).toEqual([]);
  });

  it('reads a procedure past its deadline as expired before the sweep', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    h.clock.advanceBy(15 * DAY);
    expect((await right(h.paraphe.sender.getProcedure(seller, sent.id))).status).toBe('expired');
  });

  it('cancel ends the procedure and gives the credit back; a second cancel is PROCEDURE_ENDED', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    const cancelled = await right(h.paraphe.sender.cancel(seller, sent.id));
    expect(cancelled).toMatchObject({ status: 'cancelled', credit: 'released' });
    expect(cancelled.timeline.at(-1)).toMatchObject({ type: 'cancelled', data: { credit: 'released' } });
    expect(await right(h.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 3,
      available: 3,
      reserved: 0,
      captured: 0,
    });
    await expectRefusedUnchanged(h, scope, 'PROCEDURE_ENDED', h.paraphe.sender.cancel(seller, sent.id));
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['sent', 'cancelled']);
  });

  it('cancel after the deadline is PROCEDURE_EXPIRED; the sweep releases the credit', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    h.clock.advanceBy(15 * DAY);
    await expectRefusedUnchanged(h, scope, 'PROCEDURE_EXPIRED', h.paraphe.sender.cancel(seller, sent.id));
  });

  it('downloads are DOCUMENT_NOT_AVAILABLE before signature, then give the signed PDF and the certificate', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q2');
    await expectRefusedUnchanged(
      h,
      scope,
      'DOCUMENT_NOT_AVAILABLE',
      h.paraphe.sender.downloadSignedDocument(seller, sent.id),
    );
    await expectRefusedUnchanged(
      h,
      scope,
      'DOCUMENT_NOT_AVAILABLE',
      h.paraphe.sender.downloadCertificate(seller, sent.id),
    );
    const { id } = await signQuote(h, 'q1');
    const pdf = await right(h.paraphe.sender.downloadSignedDocument(seller, id));
    expect(pdf).toMatchObject({ fileName: 'D-q1-signed.pdf', contentType: 'application/pdf' });
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    // The frozen original is an exact prefix of the sealed file (incremental update).
    const original = h.crm.quote(TENANT, 'q1')?.document?.bytes ?? new Uint8Array();
    expect(Buffer.from(pdf.bytes.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const certificate = await right(h.paraphe.sender.downloadCertificate(seller, id));
    expect(certificate.fileName).toBe('D-q1-certificate-of-signature.pdf');
    // An admin of the tenant may read them too.
    await right(h.paraphe.sender.downloadSignedDocument(admin, id));
  });

  it('PROCEDURE_NOT_FOUND for an unknown or other tenant’s id, INVALID_INPUT for a malformed one; theirs stays as it was', async () => {
    const { h, theirs } = await withNeighbour();
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [theirs.id, 'PROCEDURE_NOT_FOUND'],
      ['sp_unknown', 'PROCEDURE_NOT_FOUND'],
      ['', 'INVALID_INPUT'],
      [42, 'INVALID_INPUT'],
      [undefined, 'INVALID_INPUT'],
      ['x'.repeat(201), 'INVALID_INPUT'],
    ];
    for (const actor of [seller, admin]) {
      for (const [id, code] of cases) {
        const asId = id as string;
        await expectRefusedUnchanged(h, scope, code, h.paraphe.sender.getProcedure(actor, asId));
        await expectRefusedUnchanged(h, scope, code, h.paraphe.sender.cancel(actor, asId));
        await expectRefusedUnchanged(h, scope, code, h.paraphe.sender.downloadSignedDocument(actor, asId));
        await expectRefusedUnchanged(h, scope, code, h.paraphe.sender.downloadCertificate(actor, asId));
      }
    }
    expect(await right(h.paraphe.sender.listProcedures(seller, 'g1'))).toEqual([]);
    expect((await right(h.paraphe.sender.getProcedure(globexUser, theirs.id))).status).toBe('sent');
  });

  it('INVALID_INPUT for a malformed actor on every sender call', async () => {
    const { h, theirs } = await withNeighbour();
    const bad = { kind: 'user', tenantId: 'globex', userId: '', role: 'user' } as UserActor;
    const calls = [
      h.paraphe.sender.getSettings(bad),
      h.paraphe.sender.getCredits(bad),
      h.paraphe.sender.checkSend(bad, 'g1'),
      h.paraphe.sender.getProcedure(bad, theirs.id),
      h.paraphe.sender.listProcedures(bad, 'g1'),
      h.paraphe.sender.cancel(bad, theirs.id),
      h.paraphe.sender.downloadSignedDocument(bad, theirs.id),
      h.paraphe.sender.downloadCertificate(bad, theirs.id),
    ];
    for (const call of calls) await expectRefusedUnchanged(h, scope, 'INVALID_INPUT', call);
  });
});
