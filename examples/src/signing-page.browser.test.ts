import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedFixture, serveSigningFixture } from './http-server-fixture.js';

/** What the page functions below read in the browser (this project compiles without the DOM library). */
type InBrowser = {
  readonly document: {
    readonly documentElement: { readonly scrollWidth: number };
    readonly activeElement: { readonly id: string; readonly textContent: string | null } | null;
  };
};

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const artifacts = resolve(import.meta.dirname, '../../.test-artifacts/signing-page');
const DAY = 24 * 3600 * 1000;

describe.runIf(!available && process.env.CI === 'true')('browser tests under CI', () => {
  it('need Debian’s Chromium at /usr/bin/chromium', () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });
});

describe.skipIf(!available)('the signing page in Chromium', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const servers: ServedFixture[] = [];

  const serve = async (options: Parameters<typeof serveSigningFixture>[0] = {}) => {
    const served = await serveSigningFixture(options);
    servers.push(served);
    return served;
  };
  const newPage = async (viewport = { width: 1000, height: 900 }): Promise<Page> => {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    contexts.push(context);
    return context.newPage();
  };
  // A full-page screenshot resizes the view, and Chromium's PDF viewer shows blank in it: the embedded document gets
  // its own viewport-sized screenshot.
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  const documentShot = async (page: Page, name: string) => {
    await page.locator('object.document').scrollIntoViewIfNeeded();
    // The viewer draws the pages a moment after the page has loaded.
    await page.waitForTimeout(2500);
    await page.screenshot({ path: join(artifacts, `${name}.png`) });
  };
  /** The code as the signer reads it in the SMS, taken from the development outbox over HTTP. */
  const codeFromOutbox = async (served: ServedFixture, procedureId: string): Promise<string> => {
    const outbox = (await (await fetch(`${served.url}/_dev/outbox`)).json()) as {
      sms: ReadonlyArray<{ procedureId: string; text: string }>;
    };
    const code = outbox.sms
      .filter((m) => m.procedureId === procedureId)
      .at(-1)
      ?.text.match(/\d{6}/)?.[0];
    if (code === undefined) throw new Error('no SMS');
    return code;
  };
  const noHorizontalScroll = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as InBrowser).document.documentElement.scrollWidth);

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-gpu',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    for (const served of servers) await served.close();
  });

  it('signs in French from the emailed link, and the downloaded PDF passes pdfsig', async () => {
    const served = await serve({ language: 'fr' });
    const { link, procedureId } = await served.sendQuote('0100');
    const page = await newPage();
    const documentLoaded = page.waitForResponse((r) => r.url().endsWith('/document'));
    await page.goto(link);
    expect((await documentLoaded).headers()['content-type']).toBe('application/pdf');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect(page.getByText('D-2026-0100').first().isVisible()).resolves.toBe(true);
    await shot(page, 'fr-01-opened');
    await documentShot(page, 'fr-01-document');
    await page.getByRole('button', { name: 'Recevoir le code par SMS' }).click();
    await page.getByText('+336••••••78').first().waitFor();
    await shot(page, 'fr-02-code-sent');
    const code = await codeFromOutbox(served, procedureId);
    await page.getByLabel('Code', { exact: true }).fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByText('Code incorrect. Il vous reste 2 tentatives.').waitFor();
    await shot(page, 'fr-03-wrong-code');
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByText('Identité confirmée. Vous pouvez maintenant signer.').waitFor();
    await shot(page, 'fr-04-verified');
    await page.getByLabel("J'ai lu et j'accepte le devis D-2026-0100").check();
    await page.getByRole('button', { name: 'Signer', exact: true }).click();
    await page.getByText('Merci : vous avez signé le devis D-2026-0100').waitFor();
    await shot(page, 'fr-05-signed');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger le devis signé (PDF)' }).click(),
    ]);
    const saved = join(artifacts, 'fr-signed.pdf');
    await download.saveAs(saved);
    // pdfsig exits 0 even when a signature does not match: its report is what counts.
    const report = execFileSync('pdfsig', [saved], { encoding: 'utf8' });
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Total document signed');
  });

  it('speaks English when the tenant does', async () => {
    const served = await serve({ language: 'en' });
    const { link, procedureId } = await served.sendQuote('0101');
    const page = await newPage();
    await page.goto(link);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await shot(page, 'en-01-opened');
    await page.getByRole('button', { name: 'Send me the code by SMS' }).click();
    await page.getByLabel('Code', { exact: true }).fill(await codeFromOutbox(served, procedureId));
    await page.getByRole('button', { name: 'Check the code' }).click();
    await page.getByLabel('I have read and accept the quote D-2026-0101').check();
    await shot(page, 'en-02-verified');
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    await page.getByText('Thank you: you signed the quote D-2026-0101').waitFor();
    await shot(page, 'en-03-signed');
  });

  it('declines with a reason', async () => {
    const served = await serve();
    const { link } = await served.sendQuote('0102');
    const page = await newPage();
    await page.goto(link);
    await page.getByText('Refuser le devis').click();
    await page.getByLabel('Motif (facultatif)').fill('Le délai de livraison ne nous convient pas.');
    await shot(page, 'decline-01-form');
    await page.getByRole('button', { name: 'Refuser', exact: true }).click();
    await page.getByText('Vous avez refusé le devis D-2026-0102').waitFor();
    await shot(page, 'decline-02-declined');
  });

  it('shows an expired link like an unknown one', async () => {
    const served = await serve();
    const { link } = await served.sendQuote('0103');
    const page = await newPage();
    await page.goto(link);
    served.clock.advanceBy(16 * DAY);
    const response = await page.reload();
    expect(response?.status()).toBe(404);
    await page.getByText("Ce lien de signature n'est pas valide ou n'est plus actif").waitFor();
    await shot(page, 'expired');
    const unknown = await page.goto(`${served.url}/sign/${'A'.repeat(43)}`);
    expect(unknown?.status()).toBe(404);
  });

  it('fits a 375 px wide phone at every step', async () => {
    const served = await serve();
    const { link, procedureId } = await served.sendQuote('0104');
    const page = await newPage({ width: 375, height: 740 });
    await page.goto(link);
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(375);
    await shot(page, 'mobile-01-opened');
    await documentShot(page, 'mobile-01-document');
    await page.getByRole('button', { name: 'Recevoir le code par SMS' }).click();
    await page.getByLabel('Code', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Valider le code' }).click();
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(375);
    await shot(page, 'mobile-02-wrong-code');
    await page.getByLabel('Code', { exact: true }).fill(await codeFromOutbox(served, procedureId));
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByLabel("J'ai lu et j'accepte le devis D-2026-0104").check();
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Signer', exact: true }).click();
    await page.getByText('Merci : vous avez signé').waitFor();
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(375);
    await shot(page, 'mobile-03-signed');
  });

  it('can be used with the keyboard alone', async () => {
    const served = await serve();
    const { link, procedureId } = await served.sendQuote('0105');
    const page = await newPage();
    await page.goto(link);
    const focusedText = () =>
      page.evaluate(
        () => (globalThis as unknown as InBrowser).document.activeElement?.textContent?.trim() ?? '',
      );
    const tabTo = async (text: string) => {
      for (let i = 0; i < 30 && (await focusedText()) !== text; i++) await page.keyboard.press('Tab');
      expect(await focusedText()).toBe(text);
    };
    await tabTo('Recevoir le code par SMS');
    await shot(page, 'keyboard-01-focus-on-button');
    await page.keyboard.press('Enter');
    await page.getByText('Un code vous a été envoyé par SMS').waitFor();
    // The code field takes the focus once a code is out: type and press Enter.
    expect(await page.evaluate(() => (globalThis as unknown as InBrowser).document.activeElement?.id)).toBe(
      'code',
    );
    await page.keyboard.type(await codeFromOutbox(served, procedureId));
    await page.keyboard.press('Enter');
    await page.getByText('Identité confirmée. Vous pouvez maintenant signer.').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as InBrowser).document.activeElement?.id)).toBe(
      'consent',
    );
    await page.keyboard.press('Space');
    await tabTo('Signer');
    await shot(page, 'keyboard-02-focus-on-sign');
    await page.keyboard.press('Enter');
    await page.getByText('Merci : vous avez signé le devis D-2026-0105').waitFor();
  });
});
