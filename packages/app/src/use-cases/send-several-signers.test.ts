import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import { type DomainError, hashSigningToken } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { type Harness, right, seller, TENANT } from '../test-support/harness.js';
import { expectRefusedUnchanged } from '../test-support/observe.js';
import {
  secondContact,
  severalSignersHarness,
  stored,
  THREE_SIGNERS,
} from '../test-support/several-signers.js';
import { scopeOf, sendInput } from '../test-support/story.js';

const scope = scopeOf('q1', 'q2', 'q3', 'big');
const reasonsOf = (error: DomainError) => (error.reasons ?? []).map((r) => [r.code, r.details?.signer]);

const THREE = THREE_SIGNERS;

const outboxInvitations = async (h: Harness, procedureId: string) => {
  const listed = await h.storage.unitOfWork((session) => session.outbox.list())();
  if (E.isLeft(listed)) throw new Error('outbox not readable');
  return listed.right.filter(
    (r) =>
      r.message.kind === 'email' &&
      r.message.email.kind === 'invitation' &&
      r.message.email.procedureId === procedureId,
  );
};

describe('sending to several signers', () => {
  it('in sequence: one procedure, one credit, the first signer invited alone; the others wait with their own links', async () => {
    const h = await severalSignersHarness();
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1', { signers: THREE })));
    expect((await right(h.paraphe.sender.getCredits(seller))).reserved).toBe(1);
    const procedure = await stored(h, view.id);
    expect(procedure.signingOrder).toBe('sequential');
    expect(procedure.signers.map((s) => [s.role, s.reference, s.identity.email, s.status])).toEqual([
      ['contact', 'c-1', 'claire.martin@example.fr', 'sent'],
      ['contact', 'c-2', 'paul.durand@example.fr', 'waiting'],
      ['countersigner', 'dan', 'dan@acme.example', 'waiting'],
    ]);
    // The sender's words are kept for the invitations still to come.
    expect(procedure.invitation).toEqual({
      subject: 'Devis q1',
      body: 'Bonjour, signez ici : {{signing_link}}',
    });
    expect(new Set(procedure.signers.map((s) => s.tokenHash)).size).toBe(3);
    expect(new Set(procedure.signers.map((s) => s.sealedToken)).size).toBe(3);

    const invitations = h.mailer.sent.filter((m) => m.kind === 'invitation');
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({
      id: `${view.id}.invitation`,
      to: 'claire.martin@example.fr',
      toName: 'Claire Martin',
      signerPosition: 0,
    });
    expect(hashSigningToken(h.tokenOf(view.id, 0))).toBe(procedure.signers[0]!.tokenHash);
    expect(await outboxInvitations(h, view.id)).toHaveLength(1);
  });

  it('in sequence, a signature invites the next signer in the sender’s own words, with their own id and link', async () => {
    const h = await severalSignersHarness();
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1', { signers: THREE })));
    const first = h.tokenOf(view.id, 0);
    await right(h.paraphe.signer.open(first));
    await right(h.paraphe.signer.requestCode(first));
    await right(h.paraphe.signer.verifyCode(first, h.lastCode(view.id)));
    await right(h.paraphe.signer.sign(first, true));
    await right(h.paraphe.system.dispatchOutbox());
    const invitations = h.mailer.sent.filter((m) => m.kind === 'invitation');
    expect(invitations.map((m) => [m.id, m.to, m.subject, m.signerPosition])).toEqual([
      [`${view.id}.invitation`, 'claire.martin@example.fr', 'Devis q1', 0],
      [`${view.id}.invitation-2`, 'paul.durand@example.fr', 'Devis q1', 1],
    ]);
    const second = invitations[1]!;
    expect(second.text).toBe(`Bonjour, signez ici : ${second.template?.signingLink}`);
    const procedure = await stored(h, view.id);
    expect(procedure.signers.map((s) => s.status)).toEqual(['signed', 'sent', 'waiting']);
    expect(hashSigningToken(h.tokenOf(view.id, 1))).toBe(procedure.signers[1]!.tokenHash);
  });

  it('in parallel: every signer invited at once, each with their own id and link', async () => {
    const h = await severalSignersHarness();
    const view = await right(
      h.paraphe.sender.send(seller, sendInput('q1', { signers: { ...THREE, order: 'parallel' } })),
    );
    expect((await right(h.paraphe.sender.getCredits(seller))).reserved).toBe(1);
    const procedure = await stored(h, view.id);
    expect(procedure.signingOrder).toBe('parallel');
    expect(procedure.signers.map((s) => s.status)).toEqual(['sent', 'sent', 'sent']);
    expect(procedure.status).toBe('sent');
    // Nobody is invited later: the sender's text is not kept.
    expect(procedure.invitation).toBeUndefined();

    const invitations = h.mailer.sent.filter((m) => m.kind === 'invitation');
    expect(invitations.map((m) => [m.id, m.to, m.signerPosition])).toEqual([
      [`${view.id}.invitation`, 'claire.martin@example.fr', 0],
      [`${view.id}.invitation-2`, 'paul.durand@example.fr', 1],
      [`${view.id}.invitation-3`, 'dan@acme.example', 2],
    ]);
    const links = invitations.map((m) => m.template?.signingLink);
    expect(new Set(links).size).toBe(3);
    for (const [position, m] of invitations.entries()) {
      expect(m.text).toBe(`Bonjour, signez ici : ${m.template?.signingLink}`);
      expect(m.template?.signerName).toBe(procedure.signers[position]!.identity.name);
      expect(hashSigningToken(h.tokenOf(view.id, position))).toBe(procedure.signers[position]!.tokenHash);
    }
    // One invitation_sent per signer on the one chain, each naming its signer.
    expect(procedure.events.filter((e) => e.type === 'invitation_sent').map((e) => e.data.signer)).toEqual([
      1, 2, 3,
    ]);
    expect(await outboxInvitations(h, view.id)).toHaveLength(3);
  });

  it('on SQLite too: each stored invitation keeps its signer, so each link is its own signer’s', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'paraphe-signers-'));
    try {
      const h = await severalSignersHarness({
        storage: makeSqliteStorage({ filename: join(directory, 'signers.db') }),
        dispatch: 'manual',
      });
      const view = await right(
        h.paraphe.sender.send(seller, sendInput('q1', { signers: { ...THREE, order: 'parallel' } })),
      );
      await right(h.paraphe.system.dispatchOutbox());
      const procedure = await stored(h, view.id);
      expect(procedure.signers.map((s) => s.status)).toEqual(['sent', 'sent', 'sent']);
      for (const position of [0, 1, 2])
        expect(hashSigningToken(h.tokenOf(view.id, position))).toBe(procedure.signers[position]!.tokenHash);
      await h.paraphe.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a send without signers is the one-signer send it always was: no signer number anywhere', async () => {
    const h = await severalSignersHarness();
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1')));
    const procedure = await stored(h, view.id);
    expect(procedure.signers.map((s) => s.reference)).toEqual(['c-1']);
    expect(procedure.invitation).toBeUndefined();
    const [invitation] = h.mailer.sent;
    expect(invitation?.id).toBe(`${view.id}.invitation`);
    expect(invitation).not.toHaveProperty('signerPosition');
    expect(procedure.events.every((e) => !('signer' in e.data))).toBe(true);
  });

  describe('SEND_REFUSED lists every reason, each naming its signer, and leaves nothing', () => {
    it('a contact not on the quote, the same contact twice, an unknown countersigner and no credit', async () => {
      const h = await severalSignersHarness({ credits: 0 });
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(
          seller,
          sendInput('q1', {
            signers: { contactIds: ['c-1', 'c-9', 'c-2', 'c-1'], countersignerId: 'ghost' },
          }),
        ),
      );
      const codes = reasonsOf(error).map(([code]) => code);
      expect(codes).toEqual(
        expect.arrayContaining([
          'SIGNER_NOT_ON_QUOTE',
          'COUNTERSIGNER_NOT_FOUND',
          'SIGNER_DUPLICATE',
          'NO_CREDIT_AVAILABLE',
        ]),
      );
      expect(codes).toHaveLength(4);
      expect(reasonsOf(error)).toContainEqual(['SIGNER_NOT_ON_QUOTE', 2]);
      // checkSend says the same before anything is sent.
      expect(
        (
          await right(
            h.paraphe.sender.checkSend(seller, 'q1', {
              contactIds: ['c-1', 'c-9', 'c-2', 'c-1'],
              countersignerId: 'ghost',
            }),
          )
        ).map((r) => r.code),
      ).toEqual(error.reasons?.map((r) => r.code));
    });

    it('a countersigner without a mobile, and a contact without an email', async () => {
      const h = await severalSignersHarness();
      h.crm.putUser(TENANT, { id: 'eve', name: 'Eve Petit', email: 'eve@acme.example' });
      await h.putQuote('q2', { otherContacts: [{ ...secondContact, email: undefined } as never] });
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(
          seller,
          sendInput('q2', { signers: { contactIds: ['c-1', 'c-2'], countersignerId: 'eve' } }),
        ),
      );
      expect(reasonsOf(error)).toEqual([
        ['CONTACT_EMAIL_MISSING', 2],
        ['CONTACT_MOBILE_MISSING', 3],
      ]);
    });

    it('eleven signers: ten contacts and a countersigner', async () => {
      const h = await severalSignersHarness({ credits: 0 });
      const others = Array.from({ length: 9 }, (_, i) => ({
        ...secondContact,
        id: `o-${i}`,
        email: `o${i}@example.fr`,
        mobile: `06 00 00 00 ${String(10 + i)}`,
      }));
      await h.putQuote('big', { otherContacts: others });
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'SEND_REFUSED',
        h.paraphe.sender.send(
          seller,
          sendInput('big', {
            signers: { contactIds: ['c-1', ...others.map((o) => o.id)], countersignerId: 'dan' },
          }),
        ),
      );
      expect(error.reasons?.map((r) => r.code)).toEqual(['TOO_MANY_SIGNERS', 'NO_CREDIT_AVAILABLE']);
      // Ten are fine.
      await right(
        h.paraphe.admin.orderCredits(
          { kind: 'user', tenantId: TENANT, userId: 'alice', role: 'admin' },
          { quantity: 1, orderReference: 'PO-2' },
        ),
      );
      const view = await right(
        h.paraphe.sender.send(
          seller,
          sendInput('big', { signers: { contactIds: ['c-1', ...others.map((o) => o.id)] } }),
        ),
      );
      expect((await stored(h, view.id)).signers).toHaveLength(10);
    });
  });

  it('INVALID_INPUT for malformed signers, naming the field', async () => {
    const h = await severalSignersHarness();
    const bad: ReadonlyArray<readonly [unknown, string]> = [
      [null, 'signers'],
      [[], 'signers'],
      [{ contactIds: 'c-1' }, 'signers.contactIds'],
      [{ contactIds: Array.from({ length: 11 }, (_, i) => `c-${i}`) }, 'signers.contactIds'],
      [{ contactIds: ['c-1', ''] }, 'signers.contactIds'],
      [{ contactIds: ['x'.repeat(201)] }, 'signers.contactIds'],
      [{ countersignerId: '' }, 'signers.countersignerId'],
      [{ countersignerId: 42 }, 'signers.countersignerId'],
      [{ order: 'random' }, 'signers.order'],
      [{ countersignerID: 'dan' }, 'signers.countersignerID'],
    ];
    for (const [signers, field] of bad) {
      const error = await expectRefusedUnchanged(
        h,
        scope,
        'INVALID_INPUT',
        h.paraphe.sender.send(seller, sendInput('q1', { signers: signers as never })),
      );
      expect(error.details?.fields).toBe(field);
      const checked = await expectRefusedUnchanged(
        h,
        scope,
        'INVALID_INPUT',
        h.paraphe.sender.checkSend(seller, 'q1', signers as never),
      );
      expect(checked.details?.fields).toBe(field);
    }
  });

  it('checkSend with signers: none when they can all sign', async () => {
    const h = await severalSignersHarness();
    expect(await right(h.paraphe.sender.checkSend(seller, 'q1', THREE))).toEqual([]);
    expect(await right(h.paraphe.sender.checkSend(seller, 'q1', { ...THREE, order: 'parallel' }))).toEqual(
      [],
    );
    expect(
      (await right(h.paraphe.sender.checkSend(seller, 'q1', { countersignerId: 'ghost' }))).map(
        (r) => r.code,
      ),
    ).toEqual(['COUNTERSIGNER_NOT_FOUND']);
    expect(h.mailer.sent).toEqual([]);
  });
});
