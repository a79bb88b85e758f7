import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  makeAdjustableClock,
  makeInMemoryCrm,
  makeInMemoryMailer,
  makeInMemorySmsSender,
} from '@paraphe/adapters';
import { makeSigningApp, serveSigningApp } from '@paraphe/adapters/http';
import { verifyEvidence } from '@paraphe/adapters/pdf';
import { createParaphe, type Paraphe } from '@paraphe/app';
import { type Random, SIGNING_TOKEN_BYTES, signingTokenFrom } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminActor, demoAuthenticate, sellerActor, TENANT, twoPageQuote } from './http-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const artifacts = resolve(import.meta.dirname, '../../.test-artifacts/several-signers');

describe.runIf(!available && process.env.CI === 'true')('browser tests under CI', () => {
  it('need Debian’s Chromium at /usr/bin/chromium', () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });
});

const must = async <A>(task: () => Promise<E.Either<{ readonly code: string }, A>>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code} ${JSON.stringify(result.left)}`);
  return result.right;
};

/**
 * Crypto randomness that remembers the signing tokens it drew. Why: in sequential order the second signer's
 * invitation (and so their link) is only sent once the first has signed; an early link is what this test opens, as
 * a signer would who got it forwarded or guessed the page's address from the first one's.
 */
const recordingRandom = () => {
  const tokens: string[] = [];
  const random: Random = {
    bytes: (length) => {
      const bytes = new Uint8Array(randomBytes(length));
      if (length === SIGNING_TOKEN_BYTES) tokens.push(signingTokenFrom(bytes).token);
      return bytes;
    },
  };
  return { random, tokens };
};

describe.skipIf(!available)('several signers in Chromium', () => {
  let browser: Browser;
  let paraphe: Paraphe | undefined;
  let server: { readonly url: string; readonly close: () => Promise<void> } | undefined;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await paraphe?.close();
  });

  it('in sequence: the second link says "not yet your turn" until the first signer has signed, then the second signs; both signatures in the PDF', async () => {
    const crm = makeInMemoryCrm();
    const mailer = makeInMemoryMailer();
    const sms = makeInMemorySmsSender();
    const { random, tokens } = recordingRandom();
    let app: ReturnType<typeof makeSigningApp> | undefined;
    server = await serveSigningApp({
      fetch: (request, env) =>
        app === undefined ? new Response('starting', { status: 503 }) : app.fetch(request, env),
    });
    crm.putUser(TENANT, { id: 'u-admin', name: 'Alice Admin', email: 'alice@acme.example' });
    // The seller countersigns: a user of the tenant, with a mobile for their code.
    crm.putUser(TENANT, {
      id: 'u-seller',
      name: 'Bruno Vendeur',
      email: 'bruno@acme.example',
      mobile: '06 98 76 54 32',
    });
    const created = await createParaphe({
      crm,
      notifier: crm,
      config: {
        signingBaseUrl: `${server.url}/sign/`,
        secretKey: 'example-only-secret-key-change-me-0123456789',
        dispatch: 'after-each-change',
        storage: { kind: 'memory' },
      },
      adapters: { clock: makeAdjustableClock(new Date()), mailer, sms, random },
    });
    if (E.isLeft(created)) throw new Error(`createParaphe: ${created.left.code}`);
    paraphe = created.right;
    const p = paraphe;
    app = makeSigningApp({
      signer: p.signer,
      sender: p.sender,
      admin: p.admin,
      authenticate: demoAuthenticate,
      csrfSecret: 'example-only-csrf-secret-change-me-0123456789',
    });
    await must(p.admin.activate(adminActor));
    await must(p.admin.orderCredits(adminActor, { quantity: 5, orderReference: 'PO-1' }));
    await must(p.admin.updateSettings(adminActor, { tenantName: 'ACME Industries', language: 'fr' }));
    const number = 'D-2026-0200';
    crm.putQuote({
      id: 'q200',
      tenantId: TENANT,
      number,
      ownerId: 'u-seller',
      contact: {
        id: 'c-q200',
        firstName: 'Claire',
        lastName: 'Martin',
        email: 'claire.martin@atelier-martin.fr',
        mobile: '06 12 34 56 78',
      },
      document: { fileName: `${number}.pdf`, bytes: await twoPageQuote(number) },
    });
    const sent = await must(
      p.sender.send(sellerActor, {
        quoteId: 'q200',
        subject: `Devis ${number}`,
        body: 'Bonjour,\n\n{{signing_link}}',
        signers: { countersignerId: 'u-seller', order: 'sequential' },
      }),
    );
    expect(sent.signers.map((s) => [s.name, s.role, s.status])).toEqual([
      ['Claire Martin', 'contact', 'sent'],
      ['Bruno Vendeur', 'countersigner', 'waiting'],
    ]);
    const invitationLink = (position: number) =>
      mailer.sent.find(
        (m) => m.procedureId === sent.id && m.kind === 'invitation' && (m.signerPosition ?? 0) === position,
      )?.template?.signingLink;
    const codeFor = (mobileEnd: string) => {
      const message = [...sms.sent]
        .reverse()
        .find((m) => m.procedureId === sent.id && m.to.endsWith(mobileEnd));
      const code = message?.text.match(/\d{6,8}/)?.[0];
      if (code === undefined) throw new Error(`no SMS to …${mobileEnd}`);
      return code;
    };
    // One token per signer, drawn at the send, in the list's order; only the first signer is invited yet.
    expect(tokens).toHaveLength(2);
    const first = invitationLink(0);
    expect(first).toBe(`${server.url}/sign/${tokens[0]}`);
    expect(invitationLink(1)).toBeUndefined();
    const secondLink = `${server.url}/sign/${tokens[1]}`;

    const context = await browser.newContext({
      viewport: { width: 1000, height: 900 },
      acceptDownloads: true,
    });
    const claire = await context.newPage();
    const bruno = await (
      await browser.newContext({ viewport: { width: 1000, height: 900 }, acceptDownloads: true })
    ).newPage();

    // Too early: the second link tells nothing but that it is not yet their turn, in both languages.
    const early = await bruno.goto(secondLink);
    expect(early?.status()).toBe(409);
    await bruno.getByText("Ce n'est pas encore votre tour de signer").waitFor();
    await bruno.getByText('It is not your turn to sign yet').waitFor();
    // The whole page, markup and title included.
    const earlyText = await bruno.content();
    for (const hidden of [number, 'Claire', 'Bruno', 'ACME']) expect(earlyText).not.toContain(hidden);
    expect((await bruno.request.get(`${secondLink}/document`)).status()).toBe(409);
    await bruno.screenshot({ path: join(artifacts, '01-second-too-early.png'), fullPage: true });

    // The first signer signs; the page lists the countersigner as awaiting their turn.
    await claire.goto(first!);
    await claire.getByText('Bruno Vendeur — Attend son tour').waitFor();
    await claire.getByText("Claire Martin (vous) — C'est votre tour").waitFor();
    await claire.screenshot({ path: join(artifacts, '02-first-opened.png'), fullPage: true });
    await claire.getByRole('button', { name: 'Recevoir le code par SMS' }).click();
    await claire.getByLabel('Code', { exact: true }).fill(codeFor('78'));
    await claire.getByRole('button', { name: 'Valider le code' }).click();
    await claire.getByLabel(`J'ai lu et j'accepte le devis ${number}`).check();
    await claire.getByRole('button', { name: 'Signer', exact: true }).click();
    await claire.getByText(`Merci : vous avez signé le devis ${number}. Les autres signataires`).waitFor();
    await claire.screenshot({ path: join(artifacts, '03-first-signed.png'), fullPage: true });

    // Still before the second signer's own step? No: their turn now, and the invitation carries the same link.
    expect(invitationLink(1)).toBe(secondLink);
    const now = await bruno.goto(secondLink);
    expect(now?.status()).toBe(200);
    await bruno.getByText(/Claire Martin — A signé le/).waitFor();
    await bruno.getByText("Bruno Vendeur (vous) — C'est votre tour").waitFor();
    await bruno.screenshot({ path: join(artifacts, '04-second-turn.png'), fullPage: true });
    await bruno.getByRole('button', { name: 'Recevoir le code par SMS' }).click();
    await bruno.getByLabel('Code', { exact: true }).fill(codeFor('32'));
    await bruno.getByRole('button', { name: 'Valider le code' }).click();
    await bruno.getByLabel(`J'ai lu et j'accepte le devis ${number}`).check();
    await bruno.getByRole('button', { name: 'Signer', exact: true }).click();
    await bruno
      .getByText(`Merci : vous avez signé le devis ${number}. L'expéditeur en est informé.`)
      .waitFor();
    await bruno.screenshot({ path: join(artifacts, '05-second-signed.png'), fullPage: true });

    const [download] = await Promise.all([
      bruno.waitForEvent('download'),
      bruno.getByRole('link', { name: 'Télécharger le devis signé (PDF)' }).click(),
    ]);
    const saved = join(artifacts, 'countersigned.pdf');
    await download.saveAs(saved);
    // pdfsig exits 0 even when a signature does not match: its report is what counts.
    const report = execFileSync('pdfsig', [saved], { encoding: 'utf8' });
    const signatures = report.split(/^Signature #\d+:/m).slice(1);
    expect(signatures).toHaveLength(2);
    for (const signature of signatures) expect(signature).toContain('Signature is Valid');
    expect(signatures[0]).toContain('Signature Field Name: ParapheSigner1');
    expect(signatures[1]).toContain('Signature Field Name: ParapheSigner2');
    expect(signatures[1]).toContain('Total document signed');
    expect((await must(p.sender.getProcedure(sellerActor, sent.id))).status).toBe('signed');

    // The certificate names both signers, and the verifier finds one valid signature of each in the PDF.
    const certificate = await must(p.sender.downloadCertificate(sellerActor, sent.id));
    // Looked at by a person when the certificate's layout changes.
    writeFileSync(join(artifacts, 'countersigned-certificate.pdf'), certificate.bytes);
    const verified = await verifyEvidence({
      document: new Uint8Array(readFileSync(saved)),
      certificate: certificate.bytes,
    });
    expect(verified.valid).toBe(true);
    expect(verified.certificate?.signers).toEqual({
      names: ['Claire Martin', 'Bruno Vendeur'],
      signatures: 2,
      matches: true,
    });
  }, 120_000);
});
