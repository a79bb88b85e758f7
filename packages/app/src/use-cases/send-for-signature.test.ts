import type { DomainError, UserActor } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { admin, completeContact, left, makeHarness, right, seller, TENANT } from '../test-support/harness.js';
import { expectRefusedUnchanged } from '../test-support/observe.js';
import { readyHarness, scopeOf, send, sendInput, signQuote } from '../test-support/story.js';

const reasonCodes = (error: DomainError) => (error.reasons ?? []).map((r) => r.code);
const scope = scopeOf('q1', 'q2', 'q3', 'bare');

describe('sending a quote for signature', () => {
  it('reserves one credit, freezes the document and invites the signer with the link in the body', async () => {
    const h = await readyHarness();
    const quote = h.crm.quote(TENANT, 'q1');
    const view = await send(h, 'q1');
    expect(view).toMatchObject({ quoteId: 'q1', quoteNumber: 'D-q1', status: 'sent', credit: 'reserved' });
    expect(view.deadline.getTime() - view.createdAt.getTime()).toBe(15 * 24 * 3600 * 1000);
    expect(await right(h.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 3,
      available: 2,
      reserved: 1,
      captured: 0,
    });
    const [invitation] = h.mailer.sent;
    expect(invitation).toMatchObject({
      kind: 'invitation',
      to: 'claire.martin@example.fr',
      replyTo: 'bob@acme.example',
    });
    expect(invitation?.text).toBe(`Bonjour, signez ici : ${invitation?.template?.signingLink}`);
    expect(invitation?.template?.signingLink).toMatch(
      /^https:\/\/crm\.example\.com\/sign\/[A-Za-z0-9_-]{43}$/,
    );
    // The CRM's quote object is read, never written.
    expect(h.crm.quote(TENANT, 'q1')).toBe(quote);
  });

  it('appends the link when the body has no placeholder', async () => {
    const h = await readyHarness();
    await right(h.paraphe.sender.send(seller, sendInput('q1', { body: 'Bonjour' })));
    const invitation = h.mailer.sent[0];
    expect(invitation?.text).toBe(`Bonjour\n\n${invitation?.template?.signingLink}\n`);
  });

  it('copies the lifetime at sending: a later change does not move the deadline', async () => {
    const h = await readyHarness();
    const view = await send(h, 'q1');
    await right(h.paraphe.admin.updateSettings(admin, { procedureLifetimeDays: 2 }));
    expect((await right(h.paraphe.sender.getProcedure(seller, view.id))).deadline).toEqual(view.deadline);
    expect((await send(h, 'q2')).deadline.getTime() - view.createdAt.getTime()).toBe(2 * 24 * 3600 * 1000);
  });

  describe('SEND_REFUSED carries every reason at once and changes nothing', () => {
    it('not activated, no contact, no document, no credit', async () => {
      const h = await makeHarness();
      const { contact: _c, document: _d, ...bare } = await h.putQuote('bare');
      h.crm.putQuote(bare);
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(seller, sendInput('bare')),
      );
      expect(reasonCodes(error)).toEqual([
        'ESIGNATURE_NOT_ACTIVATED',
        'NO_CONTACT',
        'DOCUMENT_MISSING',
        'NO_CREDIT_AVAILABLE',
      ]);
      expect(error.details).toEqual({ count: 4 });
    });

    it('a contact with neither email nor mobile', async () => {
      const h = await readyHarness();
      await h.putQuote('q1', { contact: { id: 'c', lastName: 'Martin' } });
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(seller, sendInput('q1')),
      );
      expect(reasonCodes(error)).toEqual(['CONTACT_EMAIL_MISSING', 'CONTACT_MOBILE_MISSING']);
    });

    it('an invalid email and a fixed-line number', async () => {
      const h = await readyHarness();
      await h.putQuote('q1', {
        contact: { ...completeContact, email: 'claire.martin@', mobile: '01 42 68 53 00' },
      });
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(seller, sendInput('q1')),
      );
      expect(reasonCodes(error)).toEqual(['CONTACT_EMAIL_INVALID', 'CONTACT_MOBILE_NOT_MOBILE']);
    });

    it('unreadable PDF bytes, among the other reasons', async () => {
      const h = await readyHarness({ credits: 0 });
      await h.putQuote('q1', {
        document: { fileName: 'q1.pdf', bytes: new TextEncoder().encode('not a PDF at all') },
      });
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(seller, sendInput('q1')),
      );
      expect(reasonCodes(error)).toEqual(['NO_CREDIT_AVAILABLE', 'DOCUMENT_UNREADABLE']);
      expect(reasonCodes(error)).toEqual(
        (await right(h.paraphe.sender.checkSend(seller, 'q1'))).map((r) => r.code),
      );
    });

    it('a procedure in progress, then one signed', async () => {
      const h = await readyHarness();
      await send(h, 'q1');
      let error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(seller, sendInput('q1')),
      );
      expect(reasonCodes(error)).toEqual(['PROCEDURE_IN_PROGRESS_OR_SIGNED']);
      await signQuote(h, 'q2');
      error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(seller, sendInput('q2')),
      );
      expect(reasonCodes(error)).toEqual(['PROCEDURE_IN_PROGRESS_OR_SIGNED']);
    });

    it('no credit left', async () => {
      const h = await readyHarness({ credits: 1 });
      await send(h, 'q1');
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(seller, sendInput('q2')),
      );
      expect(reasonCodes(error)).toEqual(['NO_CREDIT_AVAILABLE']);
    });

    it('is allowed again once the previous procedure ended unsigned', async () => {
      const h = await readyHarness({ credits: 1 });
      const first = await send(h, 'q1');
      await right(h.paraphe.sender.cancel(seller, first.id));
      expect((await send(h, 'q1')).id).not.toBe(first.id);
    });
  });

  it('checkSend lists the same reasons without sending, and none when the quote can go', async () => {
    const h = await readyHarness();
    expect(await right(h.paraphe.sender.checkSend(seller, 'q1'))).toEqual([]);
    await h.putQuote('q2', { contact: { ...completeContact, mobile: undefined } as never });
    expect((await right(h.paraphe.sender.checkSend(seller, 'q2'))).map((r) => r.code)).toEqual([
      'CONTACT_MOBILE_MISSING',
    ]);
    expect(h.mailer.sent).toEqual([]);
    await expectRefusedUnchanged(h, scope, 'QUOTE_NOT_FOUND', h.paraphe.sender.checkSend(seller, 'nope'));
    await expectRefusedUnchanged(
      h,
      scope,
      'INVALID_INPUT',
      h.paraphe.sender.checkSend({} as UserActor, 'q1'),
    );
  });

  it('QUOTE_NOT_FOUND for an unknown quote and for another tenant’s quote', async () => {
    const h = await readyHarness();
    await h.putQuote('theirs', { tenantId: 'globex' });
    await expectRefusedUnchanged(
      h,
      scope,
      'QUOTE_NOT_FOUND',
      h.paraphe.sender.send(seller, sendInput('nope')),
    );
    await expectRefusedUnchanged(
      h,
      scope,
      'QUOTE_NOT_FOUND',
      h.paraphe.sender.send(seller, sendInput('theirs')),
    );
  });

  it('INVALID_INPUT for a malformed actor or input', async () => {
    const h = await readyHarness();
    const inputs: ReadonlyArray<unknown> = [
      null,
      {},
      { ...sendInput('q1'), quoteId: '' },
      { ...sendInput('q1'), subject: '   ' },
      { ...sendInput('q1'), body: 42 },
      { ...sendInput('q1'), idempotencyKey: '' },
      { ...sendInput('q1'), idempotencyKey: 'k'.repeat(201) },
    ];
    for (const input of inputs) {
      await expectRefusedUnchanged(h, scope, 'INVALID_INPUT', h.paraphe.sender.send(seller, input as never));
    }
    await expectRefusedUnchanged(
      h,
      scope,
      'INVALID_INPUT',
      h.paraphe.sender.send({ ...seller, role: 'owner' } as never, sendInput('q1')),
    );
  });

  describe('idempotency', () => {
    it('the same key twice answers with the same procedure and takes one credit', async () => {
      const h = await readyHarness();
      const first = await right(
        h.paraphe.sender.send(seller, sendInput('q1', { idempotencyKey: 'crm-mail-1' })),
      );
      const again = await right(
        h.paraphe.sender.send(seller, sendInput('q1', { idempotencyKey: 'crm-mail-1' })),
      );
      expect(again.id).toBe(first.id);
      expect((await right(h.paraphe.sender.getCredits(seller))).reserved).toBe(1);
      expect(h.mailer.sent.filter((m) => m.kind === 'invitation')).toHaveLength(1);
      expect(await right(h.paraphe.sender.listProcedures(seller, 'q1'))).toHaveLength(1);
    });

    it('the same key for another quote is IDEMPOTENCY_KEY_CONFLICT', async () => {
      const h = await readyHarness();
      await right(h.paraphe.sender.send(seller, sendInput('q1', { idempotencyKey: 'crm-mail-1' })));
      await expectRefusedUnchanged(
        h,
        scope,
        'IDEMPOTENCY_KEY_CONFLICT',
        h.paraphe.sender.send(seller, sendInput('q2', { idempotencyKey: 'crm-mail-1' })),
      );
    });

    it('keys are per tenant', async () => {
      const h = await readyHarness();
      const other: UserActor = { kind: 'user', tenantId: 'globex', userId: 'gina', role: 'admin' };
      await right(h.paraphe.admin.activate(other));
      await right(h.paraphe.admin.orderCredits(other, { quantity: 1, orderReference: 'G' }));
      await h.putQuote('q1', { tenantId: 'globex' });
      const mine = await right(h.paraphe.sender.send(seller, sendInput('q1', { idempotencyKey: 'k' })));
      const theirs = await right(h.paraphe.sender.send(other, sendInput('q1', { idempotencyKey: 'k' })));
      expect(theirs.id).not.toBe(mine.id);
    });

    it('two concurrent sends of one quote make one procedure', async () => {
      const h = await readyHarness();
      const results = await Promise.all([
        h.paraphe.sender.send(seller, sendInput('q1'))(),
        h.paraphe.sender.send(seller, sendInput('q1'))(),
      ]);
      expect(results.filter((r) => r._tag === 'Right')).toHaveLength(1);
      expect((await right(h.paraphe.sender.getCredits(seller))).reserved).toBe(1);
      expect((await left(h.paraphe.sender.send(seller, sendInput('q1')))).code).toBe('SEND_REFUSED');
    });
  });
});
