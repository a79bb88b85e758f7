import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  makeAdjustableClock,
  makeInMemoryCrm,
  makeInMemoryMailer,
  makeInMemorySmsSender,
} from '@paraphe/adapters';
import {
  type DevelopmentTrustServices,
  startDevelopmentTrustServices,
  verifySignedPdf,
} from '@paraphe/adapters/pdf';
import { createParaphe } from '@paraphe/app';
import type { DomainError, UserActor } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { demoArgs } from './demo-args.js';
import { countersignedStory } from './demo-countersigned.js';
import { describeError, describeTimeline, say, step } from './demo-output.js';
import { sampleQuotePdf } from './sample-quote.js';

class DemoStop extends Error {
  constructor(readonly error: DomainError) {
    super(error.code);
  }
}

/** Runs one call of the facade; a typed error stops the demo with a readable message. */
const run = async <A>(task: TE.TaskEither<DomainError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new DemoStop(result.left);
  return result.right;
};

const DAY = 24 * 3600 * 1000;
const TENANT = 'acme-industries';
const admin: UserActor = { kind: 'user', tenantId: TENANT, userId: 'u-admin', role: 'admin' };
const seller: UserActor = { kind: 'user', tenantId: TENANT, userId: 'u-seller', role: 'user' };

const demo = async (trust: DevelopmentTrustServices): Promise<void> => {
  const args = demoArgs(process.argv.slice(2));
  const base = process.env.INIT_CWD ?? process.cwd();
  const outDir = resolve(base, args.out);
  await mkdir(outDir, { recursive: true });
  const document =
    args.document === undefined
      ? { fileName: 'D-2026-0042.pdf', bytes: await sampleQuotePdf('D-2026-0042', 'Atelier Martin SARL') }
      : { fileName: args.document, bytes: new Uint8Array(await readFile(resolve(base, args.document))) };

  const crm = makeInMemoryCrm();
  const mailer = makeInMemoryMailer();
  const sms = makeInMemorySmsSender();
  const clock = makeAdjustableClock(new Date());
  // The seller countersigns in the second story: a CRM user with an email and a mobile for their code.
  crm.putUser(TENANT, {
    id: 'u-seller',
    name: 'Bruno Vendeur',
    email: 'bruno@acme.example',
    mobile: '+33 6 11 22 33 44',
  });
  crm.putUser(TENANT, { id: 'u-admin', name: 'Alice Admin', email: 'alice@acme.example' });

  // Both stories share one SQLite file and one CRM; each Paraphe seals at its own PAdES level.
  const openParaphe = (level: 'B-T' | 'B-LTA') =>
    createParaphe({
      crm,
      notifier: crm,
      config: {
        signingBaseUrl: 'https://crm.acme.example/sign/',
        secretKey: 'demo-only-secret-key-change-me-0123456789',
        // The embedded default: one SQLite file, kept between runs.
        storage: { kind: 'sqlite', filename: resolve(outDir, 'paraphe.db') },
        // The development TSA and OCSP responder on loopback: no outside service.
        sealing: {
          kind: 'pem',
          privateKeyPem: trust.identity.privateKeyPem,
          certificateChainPem: [trust.identity.certificateChainPem].flat().join(''),
          timestampAuthorityUrl: trust.timestampAuthorityUrl,
          level,
        },
      },
      adapters: { clock, mailer, sms },
    });
  const created = await openParaphe('B-LTA');
  if (E.isLeft(created)) throw new DemoStop(created.left);
  const { admin: adminApi, sender, signer, system } = created.right;

  // Each run orders 3 credits, so the credits bought so far tell which run this is.
  const runNumber = (await run(sender.getCredits(seller))).purchased / 3 + 1;
  const first = `q-42-run${runNumber}`;
  const other = `q-43-run${runNumber}`;
  const countersigned = `q-44-run${runNumber}`;
  step(`Run ${runNumber} on ${resolve(outDir, 'paraphe.db')}`);
  for (let earlier = 1; earlier < runNumber; earlier++) {
    for (const quoteId of [`q-42-run${earlier}`, `q-43-run${earlier}`, `q-44-run${earlier}`]) {
      for (const p of await run(sender.listProcedures(seller, quoteId))) {
        say(`  from run ${earlier}: procedure ${p.id} for ${p.quoteNumber} is ${p.status}`);
      }
    }
  }

  step('An admin activates e-signature, orders 3 credits and sets a 15-day lifetime');
  await run(adminApi.activate(admin));
  const credits = await run(adminApi.orderCredits(admin, { quantity: 3, orderReference: 'PO-2026-117' }));
  await run(adminApi.updateSettings(admin, { procedureLifetimeDays: 15, tenantName: 'ACME Industries' }));
  say(`  credits: ${credits.available} available`);

  step('A user tries to send a quote whose contact has no mobile');
  const contact = {
    id: 'c-1',
    firstName: 'Claire',
    lastName: 'Martin',
    email: 'claire.martin@atelier-martin.fr',
  };
  crm.putQuote({
    id: first,
    tenantId: TENANT,
    number: 'D-2026-0042',
    ownerId: 'u-seller',
    contact,
    document,
  });
  const email = {
    quoteId: first,
    subject: 'Votre devis D-2026-0042',
    body: 'Bonjour Claire,\n\nVoici notre devis : {{signing_link}}\n\nBruno',
  };
  const refused = await sender.send(seller, email)();
  if (E.isRight(refused)) throw new Error('The quote without mobile should have been refused');
  say(describeError(refused.left));

  step('The contact gets a mobile number; the quote is sent for signature');
  crm.putQuote({
    id: first,
    tenantId: TENANT,
    number: 'D-2026-0042',
    ownerId: 'u-seller',
    contact: { ...contact, mobile: '06 12 34 56 78' },
    document,
  });
  const sent = await run(sender.send(seller, email));
  say(`  procedure ${sent.id}: ${sent.status}, deadline ${sent.deadline.toISOString()}`);
  const invitation = mailer.sent.find((m) => m.procedureId === sent.id && m.kind === 'invitation');
  const link = invitation?.template?.signingLink ?? '';
  say(`  email to ${invitation?.to}: "${invitation?.subject}" with ${link.slice(0, 40)}…`);
  const token = link.slice(link.lastIndexOf('/') + 1);

  step('The signer opens the link, asks for a code, types a wrong one, then the right one, and signs');
  const browser = { ip: '203.0.113.24', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)' };
  const page = await run(signer.open(token, browser));
  say(`  page: quote ${page.quoteNumber} from ${page.senderName}, code to ${page.maskedMobile}`);
  await run(signer.requestCode(token, browser));
  const code = sms.sent.at(-1)?.text.match(/\d{6}/)?.[0] ?? '';
  say(`  SMS: "${sms.sent.at(-1)?.text.replace(code, '••••••')}"`);
  const wrong = await run(signer.verifyCode(token, code === '000000' ? '111111' : '000000', browser));
  say(
    `  wrong code: ${wrong.outcome}${wrong.outcome === 'rejected' ? `, ${wrong.attemptsLeft} attempts left` : ''}`,
  );
  say(`  right code: ${(await run(signer.verifyCode(token, code, browser))).outcome}`);
  say(`  signed: ${(await run(signer.sign(token, true, browser))).status}`);

  step('The sender follows the procedure and gets the signed PDF and the certificate');
  const view = await run(sender.getProcedure(seller, sent.id));
  say(describeTimeline(view));
  const signedPdf = await run(sender.downloadSignedDocument(seller, sent.id));
  const certificate = await run(sender.downloadCertificate(seller, sent.id));
  await writeFile(resolve(outDir, 'signed.pdf'), signedPdf.bytes);
  await writeFile(resolve(outDir, 'certificate.pdf'), certificate.bytes);
  await writeFile(resolve(outDir, 'timeline.json'), `${JSON.stringify(view, null, 2)}\n`);
  // What a reader needs to check the seals and timestamps: the development root and the TSA's certificate.
  await writeFile(resolve(outDir, 'development-root.pem'), trust.rootCertificatePem);
  await writeFile(resolve(outDir, 'development-tsa.pem'), trust.tsaCertificatePem);
  say('  sealed at PAdES B-LTA: signature timestamp, /DSS with OCSP responses, document timestamp');
  const check = await verifySignedPdf(signedPdf.bytes, { originalSha256: view.documentSha256 });
  say(
    `  verification of signed.pdf: ${check.valid ? 'valid' : 'NOT valid'}, ${check.signatures.length} signature(s)`,
  );

  step('A second quote is sent, nobody signs, the clock passes the deadline');
  crm.putQuote({
    id: other,
    tenantId: TENANT,
    number: 'D-2026-0043',
    ownerId: 'u-seller',
    contact: { ...contact, mobile: '+33 6 98 76 54 32' },
    document,
  });
  const second = await run(
    sender.send(seller, { quoteId: other, subject: 'Devis D-2026-0043', body: 'Bonjour,' }),
  );
  say(`  credits while it runs: ${JSON.stringify(await run(sender.getCredits(seller)))}`);
  clock.advanceBy(16 * DAY);
  const swept = await run(system.runPeriodicJobs());
  say(
    `  sweep: ${swept.expired} expired; procedure is ${(await run(sender.getProcedure(seller, second.id))).status}`,
  );
  say(`  credits after expiry: ${JSON.stringify(await run(sender.getCredits(seller)))}`);

  step('The quote is not won: a follow-up action was created for the sender');
  for (const action of crm.followUpActions)
    say(`  action for ${action.assigneeId}: "${action.title}" due ${action.dueAt.toISOString()}`);
  say(
    `  the CRM received ${crm.notifications.length} lifecycle notifications; the quote itself is unchanged`,
  );

  // The countersigned PDF is sealed at B-T (each signature timestamped): every entry pdfsig lists is then a
  // signature it can validate, where at B-LTA poppler 22 lists each seal's document timestamp as not yet verified.
  const countersigning = await openParaphe('B-T');
  if (E.isLeft(countersigning)) throw new DemoStop(countersigning.left);
  await countersignedStory({
    paraphe: countersigning.right,
    crm,
    mailer,
    sms,
    run,
    tenantId: TENANT,
    seller,
    contact: { ...contact, mobile: '06 12 34 56 78' },
    quoteId: countersigned,
    quoteNumber: 'D-2026-0044',
    document:
      args.document === undefined
        ? { fileName: 'D-2026-0044.pdf', bytes: await sampleQuotePdf('D-2026-0044', 'Atelier Martin SARL') }
        : document,
    outDir,
  });
  say(
    `\nFiles written to ${outDir}: signed.pdf, certificate.pdf, countersigned.pdf, countersigned-certificate.pdf, ` +
      'timeline.json, development-root.pem, development-tsa.pem (and paraphe.db)',
  );
  await countersigning.right.close();
  await created.right.close();
};

const main = async (): Promise<void> => {
  const trust = await startDevelopmentTrustServices();
  try {
    await demo(trust);
  } finally {
    await trust.close();
  }
};

main().catch((error: unknown) => {
  if (error instanceof DemoStop) {
    process.stderr.write(`${describeError(error.error)}\n`);
  } else {
    process.stderr.write(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = 1;
});
