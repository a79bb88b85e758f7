import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import type { CertificateData, CertificateRenderer, DomainError } from '@paraphe/domain';
import { domainError, sha256Hex } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type CertificateLabels, certificateLabels } from './certificate-labels.js';
import { makeFlowWriter } from './certificate-layout.js';
import { makePadesDocumentSealerWith, type PadesSealerConfig } from './pades-document-sealer.js';
import { clip, PRINT_LIMITS as LIMIT } from './print-limits.js';
import { loadSigningIdentity } from './signing-identity-loader.js';
import { formatSigningTime } from './stamp.js';

export interface PdfCertificateRendererConfig extends PadesSealerConfig {
  /** Printed as the signer of the certificate's own seal; defaults to the certificate's common name. */
  readonly platformName?: string;
}

const utc = (d: Date): string => `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;

const render = async (data: CertificateData, fingerprint: string): Promise<Uint8Array> => {
  const t: CertificateLabels = certificateLabels(data.language);
  const local = (d: Date) => formatSigningTime(d, data.timeZone, data.language);
  // Values from the CRM and the signer's browser are printed up to their limit; the audit trail keeps them whole.
  const procedureId = clip(data.procedureId, LIMIT.procedureId);
  const quoteNumber = clip(data.quoteNumber, LIMIT.quoteNumber);
  const name = (value: string) => clip(value, LIMIT.name);
  const email = (value: string) => clip(value, LIMIT.email);
  // Fixed metadata dates: the same data renders the same bytes.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${t.title} — ${quoteNumber}`);
  doc.setCreationDate(data.signedAt);
  doc.setModificationDate(data.signedAt);
  doc.setProducer('Paraphe');
  const w = makeFlowWriter(doc, {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  });
  w.title(t.title, t.subtitle);
  w.heading(t.procedure);
  w.field(t.procedureId, procedureId);
  w.field(t.quoteNumber, quoteNumber);
  w.field(t.tenant, name(data.tenantName));
  w.field(
    t.sender,
    data.sender.email === undefined
      ? name(data.sender.name)
      : `${name(data.sender.name)} <${email(data.sender.email)}>`,
  );
  w.field(t.signedAt, `${utc(data.signedAt)} — ${local(data.signedAt)} (${data.timeZone})`);
  w.heading(t.signer);
  w.field(t.name, name(data.signer.name));
  w.field(t.email, email(data.signer.email));
  w.field(t.mobile, data.signer.maskedMobile);
  w.heading(t.documents);
  w.block(t.originalSha256, data.originalSha256);
  w.block(t.signedSha256, data.signedSha256);
  w.heading(t.identityCheck);
  w.field(t.smsCodeTo, data.identityCheck.maskedMobile);
  w.field(t.codesSentAt, data.identityCheck.codesSentAt.map(utc).join(', ') || '—');
  w.field(t.verifiedAt, `${utc(data.identityCheck.verifiedAt)} — ${local(data.identityCheck.verifiedAt)}`);
  w.field(t.wrongAttempts, String(data.identityCheck.wrongAttempts));
  w.heading(t.consent);
  // The consent sentence quotes the quote number: printed cut like the field above.
  w.paragraph(
    clip(
      data.consentText.replace(data.quoteNumber, () => quoteNumber),
      LIMIT.consentText,
    ),
  );
  w.heading(t.timeline);
  for (const event of data.events) {
    w.field(
      `${event.sequence}. ${t.events[event.type] ?? event.type}`,
      `${utc(event.at)} — ${t.local} : ${local(event.at)}`,
    );
    const details = [
      `${t.actor}: ${event.actor}`,
      ...(event.ip === undefined ? [] : [`${t.ip}: ${clip(event.ip, LIMIT.ip)}`]),
      ...(event.userAgent === undefined ? [] : [`${t.userAgent}: ${clip(event.userAgent, LIMIT.userAgent)}`]),
    ].join(' · ');
    w.field('', details);
    w.gap(3);
  }
  w.heading(t.evidence);
  w.block(t.auditChainHead, data.auditChainHead);
  w.block(t.platformCertificate, fingerprint);
  w.reserveBottom(130);
  w.footer((n, of) => `${t.title} — ${procedureId} — ${t.page(n, of)}`);
  return doc.save({ useObjectStreams: false });
};

/** Renders the certificate of signature with pdf-lib and seals it with the platform identity, like the document. */
export const makePdfCertificateRenderer = (config: PdfCertificateRendererConfig): CertificateRenderer => {
  const identity = loadSigningIdentity(config.identity);
  const sealer = makePadesDocumentSealerWith(config, identity);
  return {
    render: (data) =>
      pipe(
        identity,
        TE.chain((id) =>
          pipe(
            TE.tryCatch(
              () => render(data, id.leafFingerprint),
              (e): DomainError =>
                domainError('SEALING_FAILURE', {
                  reason: `certificate: ${e instanceof Error ? e.message : String(e)}`,
                }),
            ),
            TE.chain((pdf) =>
              sealer.seal({
                document: pdf,
                procedureId: data.procedureId,
                signerName: config.platformName ?? id.subjectCommonName,
                signedAt: data.signedAt,
                timeZone: data.timeZone,
                language: data.language,
                originalSha256: sha256Hex(pdf),
              }),
            ),
          ),
        ),
      ),
  };
};
