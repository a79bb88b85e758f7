import type { CheckName, DetailValue, NamedCheck } from './verification-checks.js';
import type { SignatureVerification } from './verify-document.js';
import type { EvidenceVerification } from './verify-evidence.js';

export type ReportLanguage = 'fr' | 'en';

type Text = Readonly<Record<ReportLanguage, string>>;

/** What each check establishes, in both languages. */
export const CHECK_LABELS: Readonly<Record<CheckName, Text>> = {
  'signatures-present': { fr: 'Signatures trouvées', en: 'Signatures found' },
  'byte-range': {
    fr: 'Plage signée : tout le fichier sauf la signature, jusqu’au %%EOF d’une révision',
    en: 'Signed range: the whole file but the signature, up to a revision’s %%EOF',
  },
  digest: {
    fr: 'Empreinte du contenu signé (message-digest)',
    en: 'Digest of the signed content (message-digest)',
  },
  'cms-signature': {
    fr: 'Signature CMS vérifiée avec son certificat',
    en: 'CMS signature verified with its certificate',
  },
  'signing-certificate': {
    fr: 'Attribut signing-certificate-v2 : lie la signature à ce certificat',
    en: 'signing-certificate-v2 attribute binds the signature to this certificate',
  },
  'timestamp-imprint': {
    fr: 'Horodatage : l’empreinte scellée est celle de ce qu’il date',
    en: 'Timestamp: its imprint is the hash of what it dates',
  },
  'timestamp-signature': {
    fr: 'Horodatage : signature de l’autorité vérifiée avec son certificat',
    en: 'Timestamp: the authority’s signature verified with its certificate',
  },
  'later-revisions': {
    fr: 'Révisions suivantes : seulement DSS, horodatages de document ou signatures',
    en: 'Later revisions: only DSS, document timestamps or signatures',
  },
  'dss-entries': {
    fr: 'DSS (données de validation) lisible',
    en: 'DSS (validation data) readable',
  },
  'dss-ocsp': { fr: 'Réponse OCSP du DSS', en: 'OCSP response in the DSS' },
  'dss-crl': { fr: 'Liste de révocation (CRL) du DSS', en: 'Revocation list (CRL) in the DSS' },
  'evidence-attached': {
    fr: 'Fichier de preuve JSON joint au certificat',
    en: 'JSON evidence file attached to the certificate',
  },
  'original-sha256': {
    fr: 'SHA-256 de l’original (certificat) = une révision avant la signature',
    en: 'SHA-256 of the original (certificate) = a revision before the signature',
  },
  'signed-sha256': {
    fr: 'SHA-256 du document signé (certificat) = le fichier ou une de ses révisions',
    en: 'SHA-256 of the signed document (certificate) = the file or one of its revisions',
  },
  'evidence-signers': {
    fr: 'Signataires du certificat : une signature valide de chacun entre l’original et le document signé',
    en: 'Signers on the certificate: one valid signature each between the original and the signed document',
  },
  'audit-chain': {
    fr: 'Chaîne d’audit jointe : intacte jusqu’à la tête à la signature',
    en: 'Attached audit chain: intact up to the head at signature',
  },
  'timeline-chain': {
    fr: 'Chronologie fournie : recalculée, elle atteint la tête imprimée sur le certificat',
    en: 'Given timeline: recomputed, it reaches the head printed on the certificate',
  },
};

const WORDS = {
  verification: { fr: 'Vérification de', en: 'Verification of' },
  certificate: { fr: 'Certificat de signature', en: 'Certificate of signature' },
  signature: { fr: 'Signature', en: 'Signature' },
  documentTimestamp: { fr: 'Horodatage de document', en: 'Document timestamp' },
  revision: { fr: 'révision', en: 'revision' },
  revisions: { fr: 'révisions', en: 'revisions' },
  bytes: { fr: 'octets', en: 'bytes' },
  level: { fr: 'Niveau PAdES constaté', en: 'PAdES level found' },
  valid: { fr: 'Résultat : VALIDE', en: 'Result: VALID' },
  invalid: { fr: 'Résultat : NON VALIDE', en: 'Result: NOT VALID' },
  trust: {
    fr: 'Intégrité et cohérence seulement : la confiance dans les certificats n’est pas jugée ici.',
    en: 'Integrity and consistency only: trust in the certificates is not judged here.',
  },
} as const;

const detail = (value: DetailValue): string => (Array.isArray(value) ? value.join(', ') : String(value));

const checkLine = (check: NamedCheck, lang: ReportLanguage): ReadonlyArray<string> => {
  const details = Object.entries(check.details)
    .filter(([, value]) => !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `      ${key}: ${detail(value)}`);
  return [
    `  [${check.ok ? 'OK' : lang === 'fr' ? 'ÉCHEC' : 'FAIL'}] ${CHECK_LABELS[check.name][lang]}`,
    ...details,
  ];
};

const signatureHeading = (s: SignatureVerification, lang: ReportLanguage): string => {
  const kind = s.kind === 'document-timestamp' ? WORDS.documentTimestamp[lang] : WORDS.signature[lang];
  const parts = [
    `${kind} ${s.number}`,
    ...(s.signerName === undefined ? [] : [s.signerName]),
    ...(s.signingTime === undefined ? [] : [s.signingTime.toISOString()]),
    ...(s.timestamp?.genTime === undefined ? [] : [`genTime ${s.timestamp.genTime.toISOString()}`]),
    ...(s.revision === undefined ? [] : [`${WORDS.revision[lang]} ${s.revision}`]),
    ...(s.subFilter === undefined ? [] : [s.subFilter]),
  ];
  return parts.join(' — ');
};

const section = (
  title: string,
  file: NamedCheck['file'],
  signatures: ReadonlyArray<SignatureVerification>,
  checks: ReadonlyArray<NamedCheck>,
  lang: ReportLanguage,
): ReadonlyArray<string> => {
  const mine = checks.filter((c) => c.file === file);
  const lines = [
    title,
    ...mine
      .filter((c) => c.signature === undefined && c.name === 'signatures-present')
      .flatMap((c) => checkLine(c, lang)),
  ];
  for (const s of signatures) {
    lines.push(signatureHeading(s, lang));
    lines.push(...mine.filter((c) => c.signature === s.number).flatMap((c) => checkLine(c, lang)));
  }
  lines.push(
    ...mine
      .filter((c) => c.signature === undefined && c.name !== 'signatures-present')
      .flatMap((c) => checkLine(c, lang)),
  );
  return lines;
};

/** The readable report: each file, each signature, each check with its details, then the verdict. */
export const reportText = (
  report: EvidenceVerification,
  checks: ReadonlyArray<NamedCheck>,
  names: { readonly document: string; readonly certificate?: string },
  lang: ReportLanguage,
): string => {
  const d = report.document;
  const lines = [
    ...section(
      `${WORDS.verification[lang]} ${names.document} (SHA-256 ${d.sha256}, ${d.size} ${WORDS.bytes[lang]}, ${d.revisions.length} ${WORDS.revisions[lang]})`,
      'document',
      d.signatures,
      checks,
      lang,
    ),
    ...(d.level === undefined ? [] : [`${WORDS.level[lang]}${lang === 'fr' ? ' :' : ':'} ${d.level}`]),
  ];
  const c = report.certificate;
  if (c !== undefined)
    lines.push(
      '',
      ...section(
        `${WORDS.certificate[lang]} ${names.certificate ?? ''} (SHA-256 ${c.document.sha256})`,
        'certificate',
        c.document.signatures,
        checks,
        lang,
      ),
    );
  const valid = report.valid && checks.every((check) => check.ok);
  lines.push('', WORDS.trust[lang], valid ? WORDS.valid[lang] : WORDS.invalid[lang]);
  return `${lines.join('\n')}\n`;
};
