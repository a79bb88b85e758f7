import type {
  AuditActor,
  AuditEventType,
  CertificateData,
  CertificateSigner,
  Language,
  PadesLevel,
} from '@paraphe/domain';

/** Every text the certificate of signature prints, other than the values it states. */
export interface CertificateLabels {
  readonly title: string;
  readonly subtitle: string;
  readonly procedure: string;
  readonly procedureId: string;
  readonly quoteNumber: string;
  readonly tenant: string;
  readonly sender: string;
  readonly status: string;
  readonly signedStatus: string;
  readonly signer: string;
  /** The heading of one of several signers, and the timeline's note of whose step an event is. */
  readonly signerOf: (n: number, of: number) => string;
  readonly roles: Readonly<Record<CertificateSigner['role'], string>>;
  readonly signingOrder: string;
  readonly signingOrders: Readonly<Record<CertificateData['signingOrder'], string>>;
  readonly name: string;
  readonly email: string;
  readonly mobile: string;
  readonly documents: string;
  readonly documentName: string;
  readonly pageCount: string;
  readonly originalSha256: string;
  readonly signedSha256: string;
  readonly signedAt: string;
  readonly identityCheck: string;
  readonly smsCodeTo: string;
  readonly codesSentAt: string;
  readonly verifiedAt: string;
  readonly wrongAttempts: string;
  readonly consent: string;
  readonly signatureLevel: string;
  /** What the signature is in law, and what it is not. */
  readonly legalStatement: string;
  readonly padesSeal: string;
  readonly padesLevel: (level: PadesLevel) => string;
  readonly timeline: string;
  readonly local: string;
  /** What separates a label from its value in running text: French typography puts a space before the colon. */
  readonly colon: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly actor: string;
  readonly actors: Readonly<Record<AuditActor, string>>;
  /** Printed under the event whose hash is the head at signature. */
  readonly headMark: string;
  readonly evidence: string;
  readonly auditChainHead: string;
  readonly headEvent: (sequence: number, event: string) => string;
  readonly laterEvents: string;
  readonly attachedFile: string;
  readonly attachedFileText: (fileName: string) => string;
  readonly platformCertificate: string;
  readonly howToCheck: string;
  readonly checkDocuments: string;
  readonly checkChain: (fileName: string) => string;
  readonly checkChainByHand: (fileName: string) => string;
  readonly checkSeals: string;
  readonly certificateSeal: (platform: string) => string;
  readonly page: (n: number, of: number) => string;
  readonly events: Readonly<Record<AuditEventType, string>>;
}

const padesMeaning = {
  fr: {
    'B-B': 'signature CAdES',
    'B-T': 'signature CAdES horodatée',
    'B-LT': 'signature horodatée, certificats et données de révocation joints',
    'B-LTA': "signature horodatée, données de validation jointes, horodatage d'archive du fichier",
  },
  en: {
    'B-B': 'CAdES signature',
    'B-T': 'timestamped CAdES signature',
    'B-LT': 'timestamped signature, certificates and revocation data included',
    'B-LTA': 'timestamped signature, validation data included, archive timestamp over the file',
  },
} as const;

const VERIFY_COMMAND = 'npx paraphe-verify signed.pdf --certificate certificate.pdf';

const fr: CertificateLabels = {
  title: 'Certificat de signature électronique',
  subtitle: 'Preuve de la signature du document identifié ci-dessous',
  procedure: 'Procédure',
  procedureId: 'Identifiant de procédure',
  quoteNumber: "Numéro de l'offre",
  tenant: 'Compte',
  sender: 'Expéditeur',
  status: 'Statut',
  signedStatus: 'Signée',
  signer: 'Signataire',
  signerOf: (n, of) => `Signataire ${n} sur ${of}`,
  roles: { contact: 'Contact du client', countersigner: 'Contresignataire' },
  signingOrder: 'Ordre de signature',
  signingOrders: {
    sequential: "Successif : chacun a signé après le précédent, dans l'ordre ci-dessous",
    parallel: "En parallèle : chacun pouvait signer dès l'envoi",
  },
  name: 'Nom',
  email: 'Email',
  mobile: 'Mobile',
  documents: 'Document',
  documentName: 'Nom du fichier',
  pageCount: 'Nombre de pages',
  originalSha256: 'SHA-256 du document original',
  signedSha256: 'SHA-256 du document signé',
  signedAt: 'Signé le',
  identityCheck: "Vérification d'identité",
  smsCodeTo: 'Code SMS envoyé au',
  codesSentAt: 'Codes envoyés le',
  verifiedAt: 'Vérifié le',
  wrongAttempts: 'Tentatives erronées',
  consent: 'Consentement',
  signatureLevel: 'Niveau de signature',
  legalStatement:
    "Signature électronique simple au sens de l'article 25, paragraphe 1, du règlement (UE) n° 910/2014 (eIDAS) et " +
    'des articles 1366 et 1367 du Code civil. Ce n’est ni une signature électronique avancée ni une signature ' +
    'électronique qualifiée : sa force probante repose sur les éléments de ce certificat (identité vérifiée par ' +
    "code SMS, consentement, empreintes des documents, chaîne d'audit) et sur le sceau de la plateforme.",
  padesSeal: 'Sceau de la plateforme',
  padesLevel: (level) => `PAdES baseline ${level} (ETSI EN 319 142-1) : ${padesMeaning.fr[level]}`,
  timeline: 'Chronologie',
  local: 'Heure locale',
  colon: ' : ',
  ip: 'IP',
  userAgent: 'Navigateur',
  actor: 'Acteur',
  actors: { sender: 'Expéditeur', signer: 'Signataire', system: 'Plateforme' },
  headMark: "Tête de la chaîne d'audit à la signature",
  evidence: 'Éléments de preuve',
  auditChainHead: "Tête de la chaîne d'audit à la signature",
  headEvent: (sequence, event) =>
    `C'est l'empreinte de l'événement n° ${sequence} (${event}), marqué » dans la chronologie.`,
  laterEvents:
    "Des événements postérieurs à la signature (action de suivi, notification du CRM) peuvent s'ajouter à la " +
    "chronologie de l'expéditeur : ils s'enchaînent après cette tête, qui reste vérifiable.",
  attachedFile: 'Fichier joint',
  attachedFileText: (fileName) =>
    `${fileName} : chaque événement de la chaîne avec son empreinte, joint à ce PDF`,
  platformCertificate: 'Empreinte SHA-256 du certificat de la plateforme',
  howToCheck: 'Comment vérifier',
  checkDocuments:
    '1. Les documents : sha256sum original.pdf signed.pdf doit afficher les deux empreintes ci-dessus.',
  checkChain: (fileName) =>
    `2. La chaîne d'audit : ${VERIFY_COMMAND} vérifie les sceaux, les empreintes et la chaîne de ${fileName}.`,
  checkChainByHand: (fileName) =>
    `Sans cet outil : pdfdetach -saveall certificate.pdf extrait ${fileName} ; pour chaque événement, hash = ` +
    'SHA-256 du texte JSON.stringify([sequence, previousHash, type, at, actor, ip ?? null, userAgent ?? null, ' +
    '[[clé, valeur] des data triées par clé]]) ; previousHash est le hash précédent (64 zéros pour le premier) ; ' +
    'le hash de l’événement marqué doit égaler la tête ci-dessus.',
  checkSeals: '3. Les sceaux : pdfsig signed.pdf et pdfsig certificate.pdf les déclarent valides.',
  certificateSeal: (platform) =>
    `Ce certificat est lui-même scellé par ${platform} (cadre ci-dessous) : toute modification le rend invalide.`,
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
  status: 'Status',
  signedStatus: 'Signed',
  signer: 'Signer',
  signerOf: (n, of) => `Signer ${n} of ${of}`,
  roles: { contact: "Client's contact", countersigner: 'Countersigner' },
  signingOrder: 'Signing order',
  signingOrders: {
    sequential: 'Sequential: each signed after the one before, in the order below',
    parallel: 'Parallel: each could sign from the start',
  },
  name: 'Name',
  email: 'Email',
  mobile: 'Mobile',
  documents: 'Document',
  documentName: 'File name',
  pageCount: 'Pages',
  originalSha256: 'SHA-256 of the original document',
  signedSha256: 'SHA-256 of the signed document',
  signedAt: 'Signed on',
  identityCheck: 'Identity check',
  smsCodeTo: 'SMS code sent to',
  codesSentAt: 'Codes sent at',
  verifiedAt: 'Verified at',
  wrongAttempts: 'Wrong attempts',
  consent: 'Consent',
  signatureLevel: 'Signature level',
  legalStatement:
    'Simple electronic signature within the meaning of Article 25(1) of Regulation (EU) No 910/2014 (eIDAS). It is ' +
    'neither an advanced nor a qualified electronic signature: its value as evidence rests on what this ' +
    'certificate states (identity checked by SMS code, consent, document hashes, audit chain) and on the ' +
    "platform's seal.",
  padesSeal: "Platform's seal",
  padesLevel: (level) => `PAdES baseline ${level} (ETSI EN 319 142-1): ${padesMeaning.en[level]}`,
  timeline: 'Timeline',
  local: 'Local time',
  colon: ': ',
  ip: 'IP',
  userAgent: 'User agent',
  actor: 'Actor',
  actors: { sender: 'Sender', signer: 'Signer', system: 'Platform' },
  headMark: 'Head of the audit chain at signature',
  evidence: 'Evidence',
  auditChainHead: 'Head of the audit chain at signature',
  headEvent: (sequence, event) =>
    `It is the hash of event no. ${sequence} (${event}), marked » in the timeline.`,
  laterEvents:
    "Events after the signature (follow-up action, CRM notification) may be added to the sender's timeline: they " +
    'are chained after this head, which stays checkable.',
  attachedFile: 'Attached file',
  attachedFileText: (fileName) => `${fileName}: every event of the chain with its hash, attached to this PDF`,
  platformCertificate: "SHA-256 fingerprint of the platform's certificate",
  howToCheck: 'How to check',
  checkDocuments: '1. The documents: sha256sum original.pdf signed.pdf must print the two hashes above.',
  checkChain: (fileName) =>
    `2. The audit chain: ${VERIFY_COMMAND} checks the seals, the hashes and the chain in ${fileName}.`,
  checkChainByHand: (fileName) =>
    `Without that tool: pdfdetach -saveall certificate.pdf extracts ${fileName}; for each event, hash = SHA-256 of ` +
    'the text JSON.stringify([sequence, previousHash, type, at, actor, ip ?? null, userAgent ?? null, [[key, ' +
    'value] of data sorted by key]]); previousHash is the hash before (64 zeros for the first); the marked ' +
    "event's hash must equal the head above.",
  checkSeals: '3. The seals: pdfsig signed.pdf and pdfsig certificate.pdf report them valid.',
  certificateSeal: (platform) =>
    `This certificate is itself sealed by ${platform} (box below): any change makes the seal invalid.`,
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
