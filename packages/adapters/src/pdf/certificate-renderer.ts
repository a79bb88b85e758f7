import { AFRelationship, PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import type {
  CertificateData,
  CertificateRenderer,
  CertificateSigner,
  Language,
  PadesLevel,
  SealingError,
} from '@paraphe/domain';
import {
  EVIDENCE_FILE_NAME,
  encodeEvidenceFile,
  evidenceOfCertificate,
  sealingError,
  sha256Hex,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { type CertificateLabels, certificateLabels } from './certificate-labels.js';
import { type FlowWriter, makeFlowWriter } from './certificate-layout.js';
import { makePadesDocumentSealerWith, type PadesSealerConfig } from './pades-document-sealer.js';
import { clip, PRINT_LIMITS as LIMIT } from './print-limits.js';
import { loadSigningIdentity } from './signing-identity-loader.js';
import { formatSigningTime } from './stamp.js';

export interface PdfCertificateRendererConfig extends PadesSealerConfig {
  /** Printed as the signer of the certificate's own seal; defaults to the certificate's common name. */
  readonly platformName?: string;
  /** Prints every label and explanation in this language too, under the tenant's; ignored when it is the same. */
  readonly secondLanguage?: Language;
}

/** The name of the proof bundle attached to every certificate (`pdfdetach -list certificate.pdf`). */
export { EVIDENCE_FILE_NAME };

// The room the seal's stamp needs under the last line (signature-field.ts puts it 36 pt above the page's bottom).
const STAMP_ROOM = 80;

const utc = (d: Date): string => `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** The seal's level: the one configured, else what the sealer defaults to (B-T with a TSA, B-B without). */
export const certificateSealLevel = (config: PadesSealerConfig): PadesLevel =>
  config.level ?? (config.timestampAuthority === undefined ? 'B-B' : 'B-T');

interface Texts {
  readonly t: CertificateLabels;
  /** The second language's labels, when one is printed. */
  readonly s: CertificateLabels | undefined;
}

const name = (value: string) => clip(value, LIMIT.name);
const email = (value: string) => clip(value, LIMIT.email);

/** The consent sentence quotes the quote number: printed cut like the quote number's own field. */
const consentOf = (signer: CertificateSigner, data: CertificateData): string =>
  clip(
    signer.consentText.replace(data.quoteNumber, () => clip(data.quoteNumber, LIMIT.quoteNumber)),
    LIMIT.consentText,
  );

const writeIdentityCheck = (
  w: FlowWriter,
  { t, s }: Texts,
  check: CertificateSigner['identityCheck'],
  local: (d: Date) => string,
) => {
  w.field(t.smsCodeTo, check.maskedMobile, s?.smsCodeTo);
  w.field(t.codesSentAt, check.codesSentAt.map(utc).join(', ') || '—', s?.codesSentAt);
  w.field(t.verifiedAt, `${utc(check.verifiedAt)} — ${local(check.verifiedAt)}`, s?.verifiedAt);
  w.field(t.wrongAttempts, String(check.wrongAttempts), s?.wrongAttempts);
};

/** One signer: the sections the certificate has always printed (signer, identity check, consent). */
const writeOnlySigner = (
  w: FlowWriter,
  texts: Texts,
  data: CertificateData,
  signer: CertificateSigner,
  local: (d: Date) => string,
) => {
  const { t, s } = texts;
  w.heading(t.signer, s?.signer);
  w.field(t.name, name(signer.name), s?.name);
  w.field(t.email, email(signer.email), s?.email);
  w.field(t.mobile, signer.maskedMobile, s?.mobile);
  w.heading(t.identityCheck, s?.identityCheck);
  writeIdentityCheck(w, texts, signer.identityCheck, local);
  w.heading(t.consent, s?.consent);
  w.paragraph(consentOf(signer, data));
};

/**
 * One of several signers, on one page: who (and in what role), how their identity was checked, what they consented
 * to, when and from where they signed.
 */
const writeSigner = (
  w: FlowWriter,
  texts: Texts,
  data: CertificateData,
  signer: CertificateSigner,
  index: number,
  local: (d: Date) => string,
) => {
  const { t, s } = texts;
  const count = data.signers.length;
  w.keepTogether(() => {
    w.heading(
      `${t.signerOf(index + 1, count)} — ${t.roles[signer.role]}`,
      s === undefined ? undefined : `${s.signerOf(index + 1, count)} — ${s.roles[signer.role]}`,
    );
    w.field(t.name, name(signer.name), s?.name);
    w.field(t.email, email(signer.email), s?.email);
    w.field(t.mobile, signer.maskedMobile, s?.mobile);
    writeIdentityCheck(w, texts, signer.identityCheck, local);
    w.field(t.signedAt, `${utc(signer.signedAt)} — ${local(signer.signedAt)}`, s?.signedAt);
    if (signer.ip !== undefined) w.field(t.ip, clip(signer.ip, LIMIT.ip), s?.ip);
    if (signer.userAgent !== undefined)
      w.field(t.userAgent, clip(signer.userAgent, LIMIT.userAgent), s?.userAgent);
    w.field(t.consent, consentOf(signer, data), s?.consent);
  });
};

const writeTimeline = (w: FlowWriter, { t, s }: Texts, data: CertificateData, local: (d: Date) => string) => {
  w.heading(t.timeline, s?.timeline);
  for (const event of data.events) {
    const isHead = event.hash === data.auditChainHead;
    w.keepTogether(() => {
      const actor = s === undefined ? t.actor : `${t.actor} / ${s.actor}`;
      const both = (first: string, second: string | undefined) =>
        second === undefined ? first : `${first} / ${second}`;
      const who = both(t.actors[event.actor], s?.actors[event.actor]);
      // With several signers, a signer's events carry their number (1-based): the line says whose step it is, as
      // the actor when the signer acted, beside the actor when the platform or the sender did (an invitation).
      const n = event.data.signer;
      const count = data.signers.length;
      const whose =
        count > 1 && typeof n === 'number' ? both(t.signerOf(n, count), s?.signerOf(n, count)) : '';
      const details = [
        `${actor}${t.colon}${event.actor === 'signer' && whose !== '' ? whose : who}`,
        ...(event.actor !== 'signer' && whose !== '' ? [whose] : []),
        ...(event.ip === undefined ? [] : [`${t.ip}${t.colon}${clip(event.ip, LIMIT.ip)}`]),
        ...(event.userAgent === undefined
          ? []
          : [`${t.userAgent}${t.colon}${clip(event.userAgent, LIMIT.userAgent)}`]),
      ].join(' · ');
      w.field(
        `${event.sequence}. ${t.events[event.type] ?? event.type}`,
        [`${utc(event.at)} — ${t.local}${t.colon}${local(event.at)}`, details],
        s?.events[event.type],
      );
      if (isHead) w.block(`» ${t.headMark}`, event.hash, s?.headMark);
      w.gap(3);
    });
  }
};

const writeClosing = (
  w: FlowWriter,
  { t, s }: Texts,
  data: CertificateData,
  fingerprint: string,
  platform: string,
) => {
  const head = data.events.find((event) => event.hash === data.auditChainHead);
  w.keepTogether(() => {
    w.heading(t.evidence, s?.evidence);
    w.block(t.auditChainHead, data.auditChainHead, s?.auditChainHead);
    if (head !== undefined) {
      w.paragraph(`» ${t.headEvent(head.sequence, t.events[head.type])}`);
      if (s !== undefined)
        w.paragraph(`» ${s.headEvent(head.sequence, s.events[head.type])}`, { grey: true });
    }
    w.paragraph(t.laterEvents);
    if (s !== undefined) w.paragraph(s.laterEvents, { grey: true });
    w.field(t.attachedFile, t.attachedFileText(EVIDENCE_FILE_NAME), s?.attachedFile);
    w.block(t.platformCertificate, fingerprint, s?.platformCertificate);
  });
  w.keepTogether(() => {
    w.heading(t.howToCheck, s?.howToCheck);
    for (const [text, also] of [
      [t.checkDocuments, s?.checkDocuments],
      [t.checkChain(EVIDENCE_FILE_NAME), s?.checkChain(EVIDENCE_FILE_NAME)],
      [t.checkChainByHand(EVIDENCE_FILE_NAME), s?.checkChainByHand(EVIDENCE_FILE_NAME)],
      [t.checkSeals, s?.checkSeals],
      [t.certificateSeal(platform), s?.certificateSeal(platform)],
    ] as const) {
      w.paragraph(text);
      if (also !== undefined) w.paragraph(also, { grey: true });
    }
  }, STAMP_ROOM);
};

const render = async (
  data: CertificateData,
  fingerprint: string,
  platform: string,
  level: PadesLevel,
  secondLanguage: Language | undefined,
): Promise<Uint8Array> => {
  const t = certificateLabels(data.language);
  const s =
    secondLanguage === undefined || secondLanguage === data.language
      ? undefined
      : certificateLabels(secondLanguage);
  const texts: Texts = { t, s };
  const local = (d: Date) => formatSigningTime(d, data.timeZone, data.language);
  // Values from the CRM and the signer's browser are printed up to their limit; the audit trail keeps them whole.
  const procedureId = clip(data.procedureId, LIMIT.procedureId);
  const quoteNumber = clip(data.quoteNumber, LIMIT.quoteNumber);
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
  w.title(t.title, s === undefined ? t.subtitle : `${t.subtitle} / ${s.subtitle}`, s?.title);
  w.heading(t.procedure, s?.procedure);
  w.field(t.procedureId, procedureId, s?.procedureId);
  w.field(t.quoteNumber, quoteNumber, s?.quoteNumber);
  w.field(t.tenant, name(data.tenantName), s?.tenant);
  w.field(
    t.sender,
    data.sender.email === undefined
      ? name(data.sender.name)
      : `${name(data.sender.name)} <${email(data.sender.email)}>`,
    s?.sender,
  );
  w.field(t.status, s === undefined ? t.signedStatus : `${t.signedStatus} / ${s.signedStatus}`, s?.status);
  w.field(t.signedAt, `${utc(data.signedAt)} — ${local(data.signedAt)} (${data.timeZone})`, s?.signedAt);
  if (data.signers.length > 1) {
    const order = data.signingOrder;
    w.field(
      t.signingOrder,
      s === undefined ? t.signingOrders[order] : [t.signingOrders[order], s.signingOrders[order]],
      s?.signingOrder,
    );
  }
  w.heading(t.documents, s?.documents);
  w.field(t.documentName, clip(data.document.name, LIMIT.documentName), s?.documentName);
  w.field(t.pageCount, String(data.document.pageCount), s?.pageCount);
  w.block(t.originalSha256, data.originalSha256, s?.originalSha256);
  w.block(t.signedSha256, data.signedSha256, s?.signedSha256);
  if (data.signers.length === 1) writeOnlySigner(w, texts, data, data.signers[0]!, local);
  else for (const [i, signer] of data.signers.entries()) writeSigner(w, texts, data, signer, i, local);
  w.heading(t.signatureLevel, s?.signatureLevel);
  w.paragraph(t.legalStatement);
  if (s !== undefined) w.paragraph(s.legalStatement, { grey: true });
  w.field(t.padesSeal, t.padesLevel(level), s?.padesSeal);
  writeTimeline(w, texts, data, local);
  writeClosing(w, texts, data, fingerprint, clip(platform, LIMIT.name));
  w.footer((n, of) => `${t.title} — ${procedureId} — ${t.page(n, of)}`);
  // The proof bundle travels inside the certificate, under its seal.
  await doc.attach(
    new TextEncoder().encode(encodeEvidenceFile(evidenceOfCertificate(data, level))),
    EVIDENCE_FILE_NAME,
    {
      mimeType: 'application/json',
      description: t.attachedFileText(EVIDENCE_FILE_NAME),
      creationDate: data.signedAt,
      modificationDate: data.signedAt,
      afRelationship: AFRelationship.Data,
    },
  );
  return doc.save({ useObjectStreams: false });
};

/** Renders the certificate of signature with pdf-lib and seals it with the platform identity, like the document. */
export const makePdfCertificateRenderer = (config: PdfCertificateRendererConfig): CertificateRenderer => {
  const identity = loadSigningIdentity(config.identity);
  const sealer = makePadesDocumentSealerWith(config, identity);
  const level = certificateSealLevel(config);
  return {
    render: (data) =>
      pipe(
        identity,
        TE.chain((id) => {
          const platform = config.platformName ?? id.subjectCommonName;
          return pipe(
            TE.tryCatch(
              () => render(data, id.leafFingerprint, platform, level, config.secondLanguage),
              (e): SealingError =>
                sealingError('SEALING_FAILURE', {
                  reason: `certificate: ${e instanceof Error ? e.message : String(e)}`,
                }),
            ),
            TE.chain((pdf) =>
              sealer.seal({
                document: pdf,
                procedureId: data.procedureId,
                signerName: platform,
                signedAt: data.signedAt,
                timeZone: data.timeZone,
                language: data.language,
                originalSha256: sha256Hex(pdf),
                subject: 'certificate',
              }),
            ),
          );
        }),
      ),
  };
};
