import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { InMemoryCrm, InMemoryMailer, InMemorySmsSender } from '@paraphe/adapters';
import { verifySignedPdf } from '@paraphe/adapters/pdf';
import type { Paraphe } from '@paraphe/app';
import type { Contact, DomainError, UserActor } from '@paraphe/domain';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { describeTimeline, say, step } from './demo-output.js';

export interface CountersignedStory {
  readonly paraphe: Pick<Paraphe, 'sender' | 'signer'>;
  readonly crm: InMemoryCrm;
  readonly mailer: InMemoryMailer;
  readonly sms: InMemorySmsSender;
  readonly run: <A>(task: TE.TaskEither<DomainError, A>) => Promise<A>;
  readonly tenantId: string;
  /** The sender, who also countersigns: a CRM user with an email and a mobile. */
  readonly seller: UserActor;
  readonly contact: Contact;
  readonly quoteId: string;
  readonly quoteNumber: string;
  readonly document: { readonly fileName: string; readonly bytes: Uint8Array };
  readonly outDir: string;
}

/** The link in the last invitation to the signer at `position`; sequential invitations leave just after a commit. */
const linkOf = async (mailer: InMemoryMailer, procedureId: string, position: number): Promise<string> => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const invitation = [...mailer.sent]
      .reverse()
      .find(
        (m) =>
          m.procedureId === procedureId && m.kind === 'invitation' && (m.signerPosition ?? 0) === position,
      );
    const link = invitation?.template?.signingLink;
    if (link !== undefined) {
      say(`  email to ${invitation?.to}: "${invitation?.subject}" with ${link.slice(0, 40)}…`);
      return link.slice(link.lastIndexOf('/') + 1);
    }
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`No invitation reached signer ${position + 1} of ${procedureId}`);
};

/**
 * The second story: the client's contact signs the quote, then the seller countersigns it; one PDF carries both
 * signatures, one certificate names both signers.
 */
export const countersignedStory = async (story: CountersignedStory): Promise<void> => {
  const { paraphe, crm, mailer, sms, run, seller, contact, outDir } = story;
  const { sender, signer } = paraphe;

  step('A third quote is sent to be signed by the contact, then countersigned by the seller');
  crm.putQuote({
    id: story.quoteId,
    tenantId: story.tenantId,
    number: story.quoteNumber,
    ownerId: seller.userId,
    contact,
    document: story.document,
  });
  const sent = await run(
    sender.send(seller, {
      quoteId: story.quoteId,
      subject: `Votre devis ${story.quoteNumber}`,
      body: 'Bonjour,\n\nVoici notre devis à signer : {{signing_link}}\n\nBruno',
      signers: { countersignerId: seller.userId, order: 'sequential' },
    }),
  );
  say(`  procedure ${sent.id}: ${sent.status}, ${sent.signingOrder}`);
  for (const s of sent.signers) say(`  signer ${s.position + 1}: ${s.name} (${s.role}), ${s.status}`);

  const signInTurn = async (position: number, browser: { ip: string; userAgent: string }) => {
    const token = await linkOf(mailer, sent.id, position);
    const page = await run(signer.open(token, browser));
    say(`  page for signer ${page.position + 1} of ${page.signers.length}: code to ${page.maskedMobile}`);
    await run(signer.requestCode(token, browser));
    const code = sms.sent.at(-1)?.text.match(/\d{6}/)?.[0] ?? '';
    say(`  right code: ${(await run(signer.verifyCode(token, code, browser))).outcome}`);
    const signed = await run(signer.sign(token, true, browser));
    say(`  signed; the list now reads: ${signed.signers.map((s) => `${s.name} ${s.status}`).join(', ')}`);
  };

  await signInTurn(0, {
    ip: '203.0.113.24',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)',
  });
  const midway = await run(sender.getProcedure(seller, sent.id));
  const partly = await run(sender.downloadSignedDocument(seller, sent.id));
  const partlyChecked = await verifySignedPdf(partly.bytes, { originalSha256: midway.documentSha256 });
  say(
    `  mid-way the procedure is ${midway.status}; the partly signed PDF holds ` +
      `${partlyChecked.signatures.filter((s) => s.kind === 'signature').length} signature(s), no certificate yet`,
  );

  step('The seller gets their own invitation and countersigns');
  await signInTurn(1, { ip: '198.51.100.7', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)' });

  step('Both signatures are in one PDF; the certificate names both signers');
  const view = await run(sender.getProcedure(seller, sent.id));
  say(describeTimeline(view));
  say(`  procedure ${view.status}, credit ${view.credit}`);
  const signedPdf = await run(sender.downloadSignedDocument(seller, sent.id));
  const certificate = await run(sender.downloadCertificate(seller, sent.id));
  await writeFile(resolve(outDir, 'countersigned.pdf'), signedPdf.bytes);
  await writeFile(resolve(outDir, 'countersigned-certificate.pdf'), certificate.bytes);
  const check = await verifySignedPdf(signedPdf.bytes, { originalSha256: view.documentSha256 });
  say(
    `  verification of countersigned.pdf: ${check.valid ? 'valid' : 'NOT valid'}, ` +
      `${check.signatures.filter((s) => s.kind === 'signature').length} signature(s), each timestamped (PAdES B-T)`,
  );
};
