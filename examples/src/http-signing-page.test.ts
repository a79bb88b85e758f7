import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSigningFixture, type SigningFixture, sellerActor } from './http-fixture.js';
import { makeFormClient } from './http-form-client.js';

const DAY = 24 * 3600 * 1000;
let fixture: SigningFixture | undefined;
const fresh = async (options: Parameters<typeof makeSigningFixture>[0] = {}) => {
  fixture = await makeSigningFixture(options);
  return fixture;
};
afterEach(async () => {
  await fixture?.paraphe.close();
  fixture = undefined;
});

describe('the signing page over HTTP', () => {
  it('shows the quote, the sender, the deadline in the signer’s time zone, and the SMS button', async () => {
    const f = await fresh({ now: new Date('2026-03-02T09:00:00Z') });
    const { token } = await f.sendQuote('0042');
    const { response, html } = await makeFormClient(f.app, `/sign/${token}`).open();
    expect(response.status).toBe(200);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('D-2026-0042');
    expect(html).toContain('Bruno Vendeur');
    expect(html).toContain('17 mars 2026 à 10:00 (Europe/Paris)');
    expect(html).toContain('Recevoir le code par SMS');
    expect(html).toContain('+336••••••78');
    expect(html).toContain(`data="/sign/${token}/document"`);
    expect(html).not.toContain('name="code"');
  });

  it('walks code request, wrong code, right code, consent and signature, then offers the signed PDF', async () => {
    const f = await fresh();
    const { token, procedureId } = await f.sendQuote('0043');
    const browser = makeFormClient(f.app, `/sign/${token}`);
    await browser.open();
    const asked = await browser.submit('code');
    expect(asked.html).toContain('Un code vous a été envoyé par SMS');
    expect(asked.html).toMatch(/<label for="code">Code<\/label>/);
    const code = f.lastCode(procedureId);
    const wrong = await browser.submit('verify', { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.html).toContain('Code incorrect. Il vous reste 2 tentatives.');
    const typo = await browser.submit('verify', { code: 'abc' });
    expect(typo.html).toContain('Saisissez le code reçu par SMS.');
    const right = await browser.submit('verify', { code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
    expect(right.html).toContain('Identité confirmée');
    expect(right.html).toContain('J&#39;ai lu et j&#39;accepte le devis D-2026-0043');
    const noConsent = await browser.submit('sign');
    expect(noConsent.html).toContain('Cochez la case');
    const signed = await browser.submit('sign', { consent: 'yes' });
    expect(signed.html).toContain('Merci : vous avez signé le devis D-2026-0043');
    const pdf = await f.app.request(`/sign/${token}/document?download=1`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="D-2026-0043.pdf"/);
    expect(Buffer.from(await pdf.arrayBuffer()).includes('/ByteRange')).toBe(true);
    const later = await makeFormClient(f.app, `/sign/${token}`).open();
    expect(later.html).toContain('Le devis D-2026-0043 a déjà été signé.');
  });

  it('records a decline with its reason and shows the declined page from then on', async () => {
    const f = await fresh();
    const { token, procedureId } = await f.sendQuote('0044');
    const browser = makeFormClient(f.app, `/sign/${token}`);
    await browser.open();
    const declined = await browser.submit('decline', { reason: 'Prix trop élevé <b>' });
    expect(declined.html).toContain('Vous avez refusé le devis D-2026-0044');
    const view = await f.paraphe.sender.getProcedure(sellerActor, procedureId)();
    expect(E.isRight(view) && view.right.declineReason).toBe('Prix trop élevé <b>');
  });

  it('shows cooldown seconds and refuses a hand-made flash cookie', async () => {
    const f = await fresh();
    const { token } = await f.sendQuote('0045');
    const browser = makeFormClient(f.app, `/sign/${token}`);
    await browser.open();
    await browser.submit('code');
    const again = await browser.submit('code');
    expect(again.html).toMatch(/Veuillez patienter \d+ s avant de demander un nouveau code/);
    browser.cookies.set('paraphe_flash', Buffer.from('{"kind":"<script>"}').toString('base64url'));
    const page = await browser.open();
    expect(page.response.status).toBe(200);
    expect(page.html).not.toContain('<script>');
    expect(page.html).not.toContain('class="flash');
  });

  it('escapes what the CRM and the signer wrote', async () => {
    const f = await fresh();
    const { token } = await f.sendQuote('<img src=x onerror=alert(1)>');
    const { html } = await makeFormClient(f.app, `/sign/${token}`).open();
    expect(html).toContain('D-2026-&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
});

describe('an ended link tells an outsider nothing', () => {
  const snapshot = async (response: Response) => ({
    status: response.status,
    headers: [...response.headers.entries()].filter(([name]) => name !== 'date'),
    body: await response.text(),
  });

  it('answers unknown, malformed, expired and cancelled links with the same status, headers and body', async () => {
    const f = await fresh();
    const expired = await f.sendQuote('0050');
    const cancelled = await f.sendQuote('0051');
    await f.paraphe.sender.cancel(sellerActor, cancelled.procedureId)();
    await makeFormClient(f.app, `/sign/${expired.token}`).open();
    f.clock.advanceBy(16 * DAY);
    const unknown = await snapshot(await f.app.request(`/sign/${'A'.repeat(43)}`));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('Ce lien de signature n&#39;est pas valide ou n&#39;est plus actif');
    expect(unknown.body).not.toContain('D-2026');
    for (const path of [
      `/sign/${expired.token}`,
      `/sign/${cancelled.token}`,
      '/sign/abc',
      `/sign/${'%3Cscript%3E'.repeat(3)}`,
      `/sign/${'x'.repeat(500)}`,
      `/sign/${expired.token}/document`,
      `/sign/${'A'.repeat(43)}/document`,
      '/sign/',
    ])
      expect(await snapshot(await f.app.request(path)), path).toEqual(unknown);
    await f.paraphe.system.runPeriodicJobs()();
    expect(await snapshot(await f.app.request(`/sign/${expired.token}`))).toEqual(unknown);
  });

  it('sends a signer whose link expired mid-way to the same page', async () => {
    const f = await fresh();
    const { token } = await f.sendQuote('0052');
    const browser = makeFormClient(f.app, `/sign/${token}`);
    await browser.open();
    f.clock.advanceBy(16 * DAY);
    const after = await browser.post('code');
    expect(after.status).toBe(303);
    const page = await browser.open();
    expect(page.response.status).toBe(404);
    expect(page.html).toContain('n&#39;est plus actif');
  });
});
