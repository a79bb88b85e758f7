import { type DomainError, domainError, type SignerUseCases, type SigningPageView } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { CSRF_COOKIE, csrfTokenFor } from './csrf.js';
import { makeSigningApp } from './signing-app.js';

const SECRET = 'a-csrf-secret-of-at-least-32-characters!';
const QUOTE = 'D-2026-0042';
const names = ['Claire Martin', 'Paul Girard', 'Bob Leroy'] as const;

const view = (overrides: Partial<SigningPageView> = {}): SigningPageView => ({
  status: 'sent',
  position: 0,
  signingOrder: 'sequential',
  signers: [{ name: names[0], status: 'sent' }],
  language: 'fr',
  timeZone: 'Europe/Paris',
  quoteNumber: QUOTE,
  senderName: 'Hélène Dupré',
  signerName: names[0],
  maskedMobile: '+336••••••78',
  deadline: new Date('2026-03-20T12:00:00Z'),
  documentFileName: `Devis ${QUOTE}.pdf`,
  consentText: `J'accepte le devis ${QUOTE}.`,
  codes: { sent: 0, remaining: 5, retryAfterSeconds: 0, active: false, attemptsLeft: 3 },
  ...overrides,
});

const refusing = (error: DomainError): SignerUseCases => ({
  open: () => TE.left(error),
  document: () => TE.left(error),
  requestCode: () => TE.left(error),
  verifyCode: () => TE.left(error),
  sign: () => TE.left(error),
  decline: () => TE.left(error),
});

const showing = (page: SigningPageView): SignerUseCases => ({
  ...refusing(domainError('LINK_INVALID')),
  open: () => TE.right(page),
});

const appWith = (signer: SignerUseCases) =>
  makeSigningApp({
    signer,
    sender: {} as never,
    admin: {} as never,
    authenticate: async () => undefined,
    csrfSecret: SECRET,
  });

const get = (signer: SignerUseCases, path = '/sign/tok-2') => appWith(signer).request(path);

const post = (signer: SignerUseCases, action: string, token = 'tok-2') => {
  const csrf = csrfTokenFor(SECRET, token);
  return appWith(signer).request(`/sign/${token}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${CSRF_COOKIE}=${csrf}` },
    body: new URLSearchParams({ csrf, code: '123456', consent: 'yes' }).toString(),
  });
};

/** The page's text without markup, so that assertions read what a person sees. */
const textOf = async (response: Response) =>
  (await response.text())
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

describe('a later signer before their turn (NOT_YOUR_TURN)', () => {
  const early = refusing(domainError('NOT_YOUR_TURN'));

  it('gets a "not yet your turn" page in both languages, 409, that names nothing of the procedure and sets no cookie', async () => {
    const response = await get(early);
    expect(response.status).toBe(409);
    expect(response.headers.get('set-cookie')).toBeNull();
    const text = await textOf(response);
    expect(text).toContain("Ce n'est pas encore votre tour de signer");
    expect(text).toContain('It is not your turn to sign yet');
    for (const value of [QUOTE, ...names, 'Hélène', 'Devis', '/document', 'csrf'])
      expect(text).not.toContain(value);
    // The same bytes for every link: the page cannot tell one procedure from another.
    expect(await (await get(early, '/sign/another-token')).text()).toBe(await (await get(early)).text());
  });

  it('gets the same page for the document and for every action, which do nothing', async () => {
    const page = await (await get(early)).text();
    const document = await get(early, '/sign/tok-2/document');
    expect(document.status).toBe(409);
    expect(document.headers.get('content-type')).toMatch(/text\/html/);
    expect(await document.text()).toBe(page);
    for (const action of ['code', 'verify', 'sign', 'decline']) {
      const response = await post(early, action);
      expect(response.status, action).toBe(409);
      expect(response.headers.get('set-cookie'), action).toBeNull();
      expect(await response.text(), action).toBe(page);
    }
  });

  it('is not the page of an unknown link, which stays 404', async () => {
    const unknown = await get(refusing(domainError('LINK_INVALID')));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain('votre tour');
  });
});

describe('the signing page with several signers', () => {
  const second = view({
    status: 'sent',
    position: 1,
    signerName: names[1],
    signers: [
      { name: names[0], status: 'signed', signedAt: new Date('2026-03-02T09:15:00Z') },
      { name: names[1], status: 'sent' },
      { name: names[2], status: 'waiting' },
    ],
  });

  it('shows who signed and when, that it is this signer’s turn, and who is awaited, in order, by name only', async () => {
    const response = await get(showing(second));
    expect(response.status).toBe(200);
    const text = await textOf(response);
    expect(text).toContain('Signataires');
    expect(text).toContain("Chacun signe à son tour, dans l'ordre ci-dessous.");
    expect(text).toContain(`${names[0]} — A signé le 2 mars 2026 à 10:15 (Europe/Paris)`);
    expect(text).toContain(`${names[1]} (vous) — C'est votre tour`);
    expect(text).toContain(`${names[2]} — Attend son tour`);
    expect(text.indexOf(names[0])).toBeLessThan(text.indexOf(`${names[1]} (vous)`));
    expect(text.indexOf(`${names[1]} (vous)`)).toBeLessThan(text.indexOf(names[2]));
    expect(await (await get(showing(second))).text()).toContain('aria-current="step"');
  });

  it('in English, and in parallel order: each awaited signer is invited', async () => {
    const parallel = view({
      language: 'en',
      signingOrder: 'parallel',
      position: 2,
      signerName: names[2],
      signers: [
        { name: names[0], status: 'opened' },
        { name: names[1], status: 'signed', signedAt: new Date('2026-03-02T09:15:00Z') },
        { name: names[2], status: 'sent' },
      ],
    });
    const text = await textOf(await get(showing(parallel)));
    expect(text).toContain('Each can sign now, in any order.');
    expect(text).toContain(`${names[0]} — Invited, not signed yet`);
    expect(text).toContain(`${names[1]} — Signed on 2 March 2026 at 10:15 (Europe/Paris)`);
    expect(text).toContain(`${names[2]} (you) — Your turn`);
  });

  it("offers the signature once this signer's own code is verified, whatever the others' progress", async () => {
    // In parallel the procedure reads its least advanced awaited signer's status: `pending` here.
    const verified = view({
      status: 'pending',
      signingOrder: 'parallel',
      position: 1,
      signers: [
        { name: names[0], status: 'pending' },
        { name: names[1], status: 'verified' },
      ],
    });
    const page = await (await get(showing(verified))).text();
    expect(page).toContain('name="consent"');
    expect(page).not.toContain('action="/sign/tok-2/verify"');
    const notYet = view({
      status: 'verified',
      signingOrder: 'parallel',
      signers: [
        { name: names[0], status: 'opened' },
        { name: names[1], status: 'verified' },
      ],
    });
    expect(await (await get(showing(notYet))).text()).not.toContain('name="consent"');
  });

  // The page's status may be this signer's own progress (`signed`) or the procedure's (`pending`): the list decides.
  it.each(['signed', 'pending'] as const)(
    'after this signer signed, says so and that others are awaited, with the PDF signed so far (status %s)',
    async (status) => {
      const done = view({
        status,
        position: 0,
        signers: [
          { name: names[0], status: 'signed', signedAt: new Date('2026-03-02T09:15:00Z') },
          { name: names[1], status: 'pending' },
        ],
      });
      const text = await textOf(await get(showing(done)));
      expect(text).toContain(`vous avez signé le devis ${QUOTE}. Les autres signataires sont invités`);
      expect(text).toContain('Télécharger le devis avec les signatures déjà faites (PDF)');
      expect(text).toContain(`${names[1]} — Invité, pas encore signé`);
      expect(text).not.toContain('Signez le devis');
      expect(text).not.toContain('a déjà été signé');
    },
  );

  it('once every signer signed, shows the signed quote as with one signer, and the list', async () => {
    const all = view({
      status: 'signed',
      position: 0,
      signers: [
        { name: names[0], status: 'signed', signedAt: new Date('2026-03-02T09:15:00Z') },
        { name: names[1], status: 'signed', signedAt: new Date('2026-03-02T10:15:00Z') },
      ],
    });
    const text = await textOf(await get(showing(all)));
    expect(text).toContain(`Le devis ${QUOTE} a déjà été signé.`);
    expect(text).toContain('Télécharger le devis signé (PDF)');
    expect(text).toContain(`${names[1]} — A signé le 2 mars 2026 à 11:15`);
  });

  it("treats another signer's decline as the end of this link, and keeps the page of the one who declined", async () => {
    const signers = [
      { name: names[0], status: 'declined' as const },
      { name: names[1], status: 'pending' as const },
    ];
    const other = await get(showing(view({ status: 'declined', position: 1, signers })));
    expect(other.status).toBe(404);
    expect(await other.text()).not.toContain(QUOTE);
    const own = await get(showing(view({ status: 'declined', position: 0, signers })));
    expect(own.status).toBe(200);
    expect(await textOf(own)).toContain(`Vous avez refusé le devis ${QUOTE}`);
  });

  it('shows no list with one signer: the page is as it always was', async () => {
    const page = await (await get(showing(view()))).text();
    expect(page).not.toContain('signers-heading');
    expect(page).not.toContain('(vous)');
  });
});
