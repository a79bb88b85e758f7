import {
  type CertificateRenderer,
  type DocumentSealer,
  defaultFollowUpTitle,
  type SignatureProcedure,
  sealingServiceUnavailable,
} from '@paraphe/domain';
import * as O from 'fp-ts/lib/Option.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { admin, type Harness, right, seller, TENANT } from '../test-support/harness.js';
import { DAY, readyHarness, send, signQuote, verify } from '../test-support/story.js';

describe('signing: what follows a signature (rules 5 and 6)', () => {
  it('captures the credit and creates the default follow-up action for the sender, due two days later', async () => {
    const h = await readyHarness();
    const quote = h.crm.quote(TENANT, 'q1');
    const { id } = await signQuote(h, 'q1');
    const view = await right(h.paraphe.sender.getProcedure(seller, id));
    expect(view).toMatchObject({ status: 'signed', credit: 'captured' });
    expect(view.signedDocumentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(h.crm.followUpActions).toEqual([
      {
        id: `${id}.follow-up`,
        tenantId: TENANT,
        quoteId: 'q1',
        procedureId: id,
        assigneeId: 'bob',
        title: defaultFollowUpTitle('fr', 'D-q1'),
        dueAt: new Date((view.signedAt?.getTime() ?? 0) + 2 * DAY),
      },
    ]);
    expect(h.crm.followUpActions[0]?.title).toMatch(/^Vérifier la signature de l'offre D-q1/);
    // Rule 6: the quote (and its opportunity) are not marked won: the CRM's quote object is untouched.
    expect(h.crm.quote(TENANT, 'q1')).toBe(quote);
    expect(h.crm.quote(TENANT, 'q1')).toEqual(quote);
  });

  it('uses the configured title, assignee and delay', async () => {
    const h = await readyHarness();
    await right(
      h.paraphe.admin.updateSettings(admin, {
        followUp: { title: 'Appeler le client', assignee: { kind: 'user', userId: 'carol' }, dueInDays: 5 },
      }),
    );
    const { id } = await signQuote(h, 'q1');
    const signedAt = (await right(h.paraphe.sender.getProcedure(seller, id))).signedAt?.getTime() ?? 0;
    expect(h.crm.followUpActions).toEqual([
      expect.objectContaining({
        title: 'Appeler le client',
        assigneeId: 'carol',
        dueAt: new Date(signedAt + 5 * DAY),
      }),
    ]);
  });

  it('creates no follow-up action when the automation is off', async () => {
    const h = await readyHarness();
    await right(h.paraphe.admin.updateSettings(admin, { followUp: { enabled: false } }));
    const { id } = await signQuote(h, 'q1');
    expect(h.crm.followUpActions).toEqual([]);
    const view = await right(h.paraphe.sender.getProcedure(seller, id));
    expect(view.timeline.map((e) => e.type)).not.toContain('follow_up_created');
  });

  it('tells the CRM of each status change once, each with its own id; a page view leaves its own to the worker', async () => {
    const h = await readyHarness();
    const sent = await send(h, 'q1');
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['sent']);
    const token = await verify(h, sent.id);
    // Opening the page delivered nothing; asking for the code and typing it delivered their own change.
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['sent', 'verified']);
    expect(await right(h.paraphe.system.dispatchOutbox())).toBe(1);
    await right(h.paraphe.signer.sign(token, true));
    const inOrder = [...h.crm.notifications].sort(
      (a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id),
    );
    expect(inOrder.map((n) => [n.status, n.type])).toEqual([
      ['sent', 'invitation_sent'],
      ['opened', 'opened'],
      ['verified', 'code_verified'],
      ['signed', 'signed'],
    ]);
    const ids = h.crm.notifications.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      h.crm.notifications.every(
        (n) => n.procedureId === sent.id && n.quoteId === 'q1' && n.tenantId === TENANT,
      ),
    ).toBe(true);
  });

  it('emails the sender when signed, declined or expired', async () => {
    const h = await readyHarness();
    await signQuote(h, 'q1');
    const declined = await send(h, 'q2');
    await right(h.paraphe.signer.decline(h.tokenFor(declined.id), 'Trop cher'));
    await send(h, 'q3');
    h.clock.advanceBy(15 * DAY);
    await right(h.paraphe.system.runPeriodicJobs());
    const notices = h.mailer.sent.filter((m) => m.kind !== 'invitation');
    expect(notices.map((m) => [m.kind, m.to, m.subject])).toEqual([
      ['signed-notification', 'bob@acme.example', 'Offre D-q1 signée'],
      ['declined-notification', 'bob@acme.example', 'Offre D-q2 refusée'],
      ['expired-notification', 'bob@acme.example', 'Offre D-q3 : procédure de signature expirée'],
    ]);
  });
});

describe('signing when a trust service is down', () => {
  it('refuses the signature as retryable, keeps the signer verified and the credit held, and signs once it is back', async () => {
    let down = true;
    const h = await readyHarness({
      sealer: (real) => ({
        inspect: real.inspect,
        seal: (request) =>
          down ? TE.left(sealingServiceUnavailable('timestamp: ECONNREFUSED')) : real.seal(request),
      }),
    });
    const sent = await send(h, 'q1');
    const token = await verify(h, sent.id);
    const refused = await h.paraphe.signer.sign(token, true)();
    expect(refused).toMatchObject({
      _tag: 'Left',
      left: { code: 'SEALING_FAILURE', details: { reason: 'timestamp: ECONNREFUSED', retryable: true } },
    });
    expect(await right(h.paraphe.sender.getProcedure(seller, sent.id))).toMatchObject({
      status: 'verified',
      credit: 'reserved',
    });
    down = false;
    expect(await right(h.paraphe.signer.sign(token, true))).toMatchObject({ status: 'signed' });
  });
});

describe('the page count the certificate states', () => {
  const threePages = async () => {
    const pdf = await PDFDocument.create();
    for (let i = 0; i < 3; i++) pdf.addPage([595, 842]);
    return pdf.save();
  };
  /** A harness whose sealer counts the documents it inspects and whose renderer keeps the page counts it states. */
  const watched = async () => {
    const seen = { inspected: 0, stated: [] as number[] };
    const h = await readyHarness({
      sealer: (real: DocumentSealer): DocumentSealer => ({
        ...real,
        inspect: (document) => {
          seen.inspected++;
          return real.inspect(document);
        },
      }),
      certificates: (real: CertificateRenderer): CertificateRenderer => ({
        render: (data) => {
          seen.stated.push(data.document.pageCount);
          return real.render(data);
        },
      }),
    });
    await h.putQuote('q3', { document: { fileName: 'q3.pdf', bytes: await threePages() } });
    return { h, seen };
  };
  const stored = async (h: Harness, id: string) => {
    const found = await right(h.storage.unitOfWork((session) => session.procedures.get(id)));
    if (O.isNone(found)) throw new Error(`no procedure ${id}`);
    return found.value;
  };

  it('is counted when the document is checked for sending and kept with the procedure: signing reads no PDF again for it', async () => {
    const { h, seen } = await watched();
    const sent = await send(h, 'q3');
    expect(seen.inspected).toBe(1);
    expect((await stored(h, sent.id)).document.pageCount).toBe(3);
    await right(h.paraphe.signer.sign(await verify(h, sent.id), true));
    expect(seen).toEqual({ inspected: 1, stated: [3] });
  });

  it('is counted from the frozen original for a procedure sent before it was kept', async () => {
    const { h, seen } = await watched();
    const sent = await send(h, 'q3');
    const token = await verify(h, sent.id);
    const before = await stored(h, sent.id);
    const { pageCount: _, ...document } = before.document;
    const older = { ...before, document, version: before.version + 1 } as SignatureProcedure;
    await right(h.storage.unitOfWork((session) => session.procedures.update(older, before.version)));
    await right(h.paraphe.signer.sign(token, true));
    expect(seen).toEqual({ inspected: 2, stated: [3] });
  });
});
