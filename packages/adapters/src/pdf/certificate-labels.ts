import type { AuditEventType, Language } from '@paraphe/domain';

export interface CertificateLabels {
  readonly title: string;
  readonly subtitle: string;
  readonly procedure: string;
  readonly procedureId: string;
  readonly quoteNumber: string;
  readonly tenant: string;
  readonly sender: string;
  readonly signer: string;
  readonly name: string;
  readonly email: string;
  readonly mobile: string;
  readonly documents: string;
  readonly originalSha256: string;
  readonly signedSha256: string;
  readonly signedAt: string;
  readonly identityCheck: string;
  readonly smsCodeTo: string;
  readonly codesSentAt: string;
  readonly verifiedAt: string;
  readonly wrongAttempts: string;
  readonly consent: string;
  readonly timeline: string;
  readonly utc: string;
  readonly local: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly actor: string;
  readonly evidence: string;
  readonly auditChainHead: string;
  readonly platformCertificate: string;
  readonly page: (n: number, of: number) => string;
  readonly events: Readonly<Record<AuditEventType, string>>;
}

const fr: CertificateLabels = {
  title: 'Certificat de signature électronique',
  subtitle: 'Preuve de la signature du document identifié ci-dessous',
  procedure: 'Procédure',
  procedureId: 'Identifiant de procédure',
  quoteNumber: "Numéro de l'offre",
  tenant: 'Compte',
  sender: 'Expéditeur',
  signer: 'Signataire',
  name: 'Nom',
  email: 'Email',
  mobile: 'Mobile',
  documents: 'Documents',
  originalSha256: 'SHA-256 du document original',
  signedSha256: 'SHA-256 du document signé',
  signedAt: 'Signé le',
  identityCheck: "Vérification d'identité",
  smsCodeTo: 'Code SMS envoyé au',
  codesSentAt: 'Codes envoyés le',
  verifiedAt: 'Vérifié le',
  wrongAttempts: 'Tentatives erronées',
  consent: 'Consentement',
  timeline: 'Chronologie',
  utc: 'UTC',
  local: 'Heure locale',
  ip: 'IP',
  userAgent: 'Navigateur',
  actor: 'Acteur',
  evidence: 'Éléments de preuve',
  auditChainHead: "Tête de la chaîne d'audit",
  platformCertificate: 'Empreinte SHA-256 du certificat de la plateforme',
  page: (n, of) => `Page ${n} / ${of}`,
  events: {
    procedure_created: 'Procédure créée',
    invitation_sent: 'Invitation envoyée',
    invitation_failed: "Échec de l'envoi de l'invitation",
    delivery_retry_scheduled: 'Nouvel essai d’envoi programmé',
    reminder_sent: 'Relance envoyée',
    opened: 'Lien ouvert par le signataire',
    code_sent: 'Code SMS envoyé',
    code_send_failed: "Échec de l'envoi du code SMS",
    code_rejected: 'Code SMS erroné',
    code_verified: 'Code SMS vérifié',
    signed: 'Document signé',
    declined: 'Signature refusée',
    cancelled: 'Procédure annulée',
    expired: 'Procédure expirée',
    follow_up_created: 'Action de suivi créée',
    crm_notified: 'CRM notifié',
  },
};

const en: CertificateLabels = {
  title: 'Certificate of electronic signature',
  subtitle: 'Proof of the signature of the document identified below',
  procedure: 'Procedure',
  procedureId: 'Procedure id',
  quoteNumber: 'Quote number',
  tenant: 'Account',
  sender: 'Sender',
  signer: 'Signer',
  name: 'Name',
  email: 'Email',
  mobile: 'Mobile',
  documents: 'Documents',
  originalSha256: 'SHA-256 of the original document',
  signedSha256: 'SHA-256 of the signed document',
  signedAt: 'Signed on',
  identityCheck: 'Identity check',
  smsCodeTo: 'SMS code sent to',
  codesSentAt: 'Codes sent at',
  verifiedAt: 'Verified at',
  wrongAttempts: 'Wrong attempts',
  consent: 'Consent',
  timeline: 'Timeline',
  utc: 'UTC',
  local: 'Local time',
  ip: 'IP',
  userAgent: 'User agent',
  actor: 'Actor',
  evidence: 'Evidence',
  auditChainHead: 'Audit chain head',
  platformCertificate: "SHA-256 fingerprint of the platform's certificate",
  page: (n, of) => `Page ${n} of ${of}`,
  events: {
    procedure_created: 'Procedure created',
    invitation_sent: 'Invitation sent',
    invitation_failed: 'Invitation failed',
    delivery_retry_scheduled: 'Delivery retry scheduled',
    reminder_sent: 'Reminder sent',
    opened: 'Link opened by the signer',
    code_sent: 'SMS code sent',
    code_send_failed: 'SMS code could not be sent',
    code_rejected: 'Wrong SMS code',
    code_verified: 'SMS code verified',
    signed: 'Document signed',
    declined: 'Signature declined',
    cancelled: 'Procedure cancelled',
    expired: 'Procedure expired',
    follow_up_created: 'Follow-up action created',
    crm_notified: 'CRM notified',
  },
};

export const certificateLabels = (language: Language): CertificateLabels => (language === 'fr' ? fr : en);
