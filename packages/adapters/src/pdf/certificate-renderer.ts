import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import type { CertificateData, CertificateRenderer, DomainError } from '@paraphe/domain';
import { domainError, sha256Hex } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type CertificateLabels, certificateLabels } from './certificate-labels.js';
import { makeFlowWriter } from './certificate-layout.js';
import { makePadesDocumentSealerWith, type PadesSealerConfig } from './pades-document-sealer.js';
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
  // Fixed metadata dates: the same data renders the same bytes.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${t.title} — ${data.quoteNumber}`);
  doc.setCreationDate(data.signedAt);
  doc.setModificationDate(data.signedAt);
  doc.setProducer('Paraphe');
  const w = makeFlowWriter(doc, {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  });
  w.title(t.title, t.subtitle);
  w.heading(t.procedure);
  w.field(t.procedureId, data.procedureId);
  w.field(t.quoteNumber, data.quoteNumber);
  w.field(t.tenant, data.tenantName);
  w.field(
    t.sender,
    data.sender.email === undefined ? data.sender.name : `${data.sender.name} <${data.sender.email}>`,
  );
  w.field(t.signedAt, `${utc(data.signedAt)} — ${local(data.signedAt)} (${data.timeZone})`);
  w.heading(t.signer);
  w.field(t.name, data.signer.name);
  w.field(t.email, data.signer.email);
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
  w.paragraph(data.consentText);
  w.heading(t.timeline);
  for (const event of data.events) {
    w.field(
      `${event.sequence}. ${t.events[event.type] ?? event.type}`,
      `${utc(event.at)} — ${t.local} : ${local(event.at)}`,
    );
    const details = [
      `${t.actor}: ${event.actor}`,
      ...(event.ip === undefined ? [] : [`${t.ip}: ${event.ip}`]),
      ...(event.userAgent === undefined ? [] : [`${t.userAgent}: ${event.userAgent}`]),
    ].join(' · ');
    w.field('', details);
    w.gap(3);
  }
  w.heading(t.evidence);
  w.block(t.auditChainHead, data.auditChainHead);
  w.block(t.platformCertificate, fingerprint);
  w.reserveBottom(130);
  w.footer((n, of) => `${t.title} — ${data.procedureId} — ${t.page(n, of)}`);
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
