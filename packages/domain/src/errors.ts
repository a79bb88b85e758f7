/** Every business failure Paraphe reports: a stable code for programs, a message in French and English for people. */
export type ErrorCode = keyof typeof catalogue;

export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

export interface LocalisedText {
  readonly fr: string;
  readonly en: string;
}

export interface DomainError {
  readonly _tag: 'DomainError';
  readonly code: ErrorCode;
  readonly message: LocalisedText;
  readonly details?: ErrorDetails;
  /** Present on `SEND_REFUSED`: every reason at once, never only the first. */
  readonly reasons?: ReadonlyArray<DomainError>;
}

type Describe = (details: ErrorDetails) => LocalisedText;
const text =
  (fr: string, en: string): Describe =>
  () => ({ fr, en });

const catalogue = {
  // Send preconditions (rule 0, 1, 3).
  ESIGNATURE_NOT_ACTIVATED: text(
    "La signature électronique n'est pas activée pour ce compte",
    'Electronic signature is not activated for this account',
  ),
  NO_CONTACT: text("Aucun contact associé à l'offre", 'No contact is linked to the quote'),
  CONTACT_EMAIL_MISSING: text("Le contact n'a pas d'email renseigné", 'The contact has no email address'),
  CONTACT_EMAIL_INVALID: text(
    "L'email du contact n'est pas valide",
    "The contact's email address is not valid",
  ),
  CONTACT_MOBILE_MISSING: text("Le contact n'a pas de mobile renseigné", 'The contact has no mobile number'),
  CONTACT_MOBILE_INVALID: text(
    "Le numéro de mobile du contact n'est pas valide",
    "The contact's mobile number is not valid",
  ),
  CONTACT_MOBILE_NOT_MOBILE: text(
    "Le numéro du contact n'est pas un numéro de mobile",
    "The contact's number is not a mobile number",
  ),
  DOCUMENT_MISSING: text("L'offre n'a pas de document PDF", 'The quote has no PDF document'),
  PROCEDURE_IN_PROGRESS_OR_SIGNED: text(
    'Une procédure est en cours ou a déjà été signée',
    'A procedure is in progress or has already been signed',
  ),
  TOO_MANY_SIGNERS: text('Une procédure compte au plus 10 signataires', 'A procedure has at most 10 signers'),
  SIGNER_DUPLICATE: text(
    'La même personne figure deux fois parmi les signataires',
    'The same person is listed twice among the signers',
  ),
  SIGNER_NOT_ON_QUOTE: text(
    "Ce contact n'est pas un contact de l'offre",
    "This contact is not one of the quote's contacts",
  ),
  COUNTERSIGNER_NOT_FOUND: text(
    "Le contresignataire n'est pas un utilisateur de ce compte",
    'The countersigner is not a user of this account',
  ),
  NO_CREDIT_AVAILABLE: text('Aucun crédit de signature disponible', 'No signature credit available'),
  IDEMPOTENCY_KEY_CONFLICT: text(
    "Cette clé d'idempotence a déjà servi pour une autre offre",
    'This idempotency key was already used for another quote',
  ),
  SEND_REFUSED: text(
    "L'offre ne peut pas être envoyée pour signature",
    'The quote cannot be sent for signature',
  ),
  // Documents.
  DOCUMENT_UNREADABLE: text("Le document n'est pas un PDF lisible", 'The document is not a readable PDF'),
  DOCUMENT_ENCRYPTED: text(
    'Le document est chiffré ou protégé par un mot de passe',
    'The document is encrypted or password-protected',
  ),
  DOCUMENT_TOO_LARGE: text('Le document est trop volumineux', 'The document is too large'),
  DOCUMENT_NOT_AVAILABLE: text(
    "Le document n'est pas encore disponible",
    'The document is not available yet',
  ),
  // Authorisation and lookup.
  FORBIDDEN: text("Vous n'avez pas le droit de faire cette action", 'You are not allowed to do this'),
  INVALID_INPUT: text('Les données fournies ne sont pas valides', 'The data given is not valid'),
  INVALID_CONFIG: (d) => {
    const fields = d.fields ?? '?';
    // A driver whose native module is installed but not built (pnpm ≥ 10 skips build scripts until approved, or
    // built for another Node): `install` holds the commands that build it, not a package name.
    if (d.notBuilt !== undefined)
      return {
        fr: `La configuration de Paraphe n'est pas valide (${fields}) : le module natif de ${d.notBuilt} n'est pas compilé pour ce Node ; lancez ${d.install ?? '?'} (avec npm : ${d.installWithNpm ?? '?'})`,
        en: `Paraphe's configuration is not valid (${fields}): ${d.notBuilt}'s native module is not built for this Node; run ${d.install ?? '?'} (with npm: ${d.installWithNpm ?? '?'})`,
      };
    return {
      fr: `La configuration de Paraphe n'est pas valide (${fields})${d.install === undefined ? '' : ` : installez ${d.install}`}`,
      en: `Paraphe's configuration is not valid (${fields})${d.install === undefined ? '' : `: install ${d.install}`}`,
    };
  },
  QUOTE_NOT_FOUND: text('Offre introuvable', 'Quote not found'),
  PROCEDURE_NOT_FOUND: text('Procédure introuvable', 'Procedure not found'),
  LINK_INVALID: text(
    "Ce lien de signature n'est pas valide ou n'est plus actif",
    'This signing link is not valid or no longer active',
  ),
  // Ledger.
  INVALID_CREDIT_QUANTITY: text(
    'La quantité de crédits doit être un entier positif',
    'The credit quantity must be a positive whole number',
  ),
  CREDIT_ALREADY_HELD: text(
    'Un crédit est déjà réservé pour cette procédure',
    'A credit is already reserved for this procedure',
  ),
  CREDIT_NOT_HELD: text(
    "Aucun crédit réservé n'existe pour cette procédure",
    'No credit is reserved for this procedure',
  ),
  // Lifecycle.
  TRANSITION_NOT_ALLOWED: (d) => ({
    fr: `Action impossible dans l'état actuel de la procédure (${d.status ?? '?'})`,
    en: `This action is not possible in the procedure's current state (${d.status ?? '?'})`,
  }),
  PROCEDURE_EXPIRED: text('La procédure de signature a expiré', 'The signature procedure has expired'),
  PROCEDURE_ENDED: (d) => ({
    fr: `La procédure de signature est terminée (${d.status ?? '?'})`,
    en: `The signature procedure has ended (${d.status ?? '?'})`,
  }),
  NOT_YET_DUE: text(
    "La date limite de la procédure n'est pas atteinte",
    "The procedure's deadline has not passed",
  ),
  CONSENT_REQUIRED: text(
    'Vous devez accepter le document pour le signer',
    'You must accept the document to sign it',
  ),
  NOT_YOUR_TURN: text("Ce n'est pas encore votre tour de signer", 'It is not your turn to sign yet'),
  CODE_NOT_VERIFIED: text(
    "L'identité doit être confirmée par le code SMS avant de signer",
    'Identity must be confirmed with the SMS code before signing',
  ),
  // SMS code policy.
  CODE_COOLDOWN: (d) => ({
    fr: `Veuillez patienter ${d.retryAfterSeconds ?? ''} s avant de demander un nouveau code`,
    en: `Please wait ${d.retryAfterSeconds ?? ''} s before asking for a new code`,
  }),
  CODE_LIMIT_REACHED: text(
    'Le nombre maximal de codes pour ce signataire est atteint',
    'The maximum number of codes for this signer has been reached',
  ),
  NO_ACTIVE_CODE: text('Aucun code valide : demandez un nouveau code', 'No valid code: ask for a new code'),
  CODE_EXPIRED: text(
    'Le code a expiré : demandez un nouveau code',
    'The code has expired: ask for a new code',
  ),
  // Infrastructure, reported as data rather than thrown.
  STORAGE_FAILURE: text("Erreur d'enregistrement, réessayez", 'Storage error, please retry'),
  STORAGE_FULL: text(
    "L'espace disque de la base de données est plein : rien n'a été enregistré, réessayez plus tard",
    "The database's disk is full: nothing was saved, please retry later",
  ),
  STORAGE_OUTCOME_UNKNOWN: text(
    "La connexion à la base de données a été perdue pendant l'enregistrement : il a peut-être abouti. Vérifiez avant de réessayer, ou réessayez avec la même clé d'idempotence",
    'The database connection was lost while saving: the change may have been saved. Check before retrying, or retry with the same idempotency key',
  ),
  CONCURRENT_MODIFICATION: text(
    'La procédure a été modifiée en même temps, réessayez',
    'The procedure was changed at the same time, please retry',
  ),
  DELIVERY_FAILURE: text("L'envoi du message a échoué", 'Sending the message failed'),
  SEALING_FAILURE: text('La signature du document a échoué', 'Sealing the document failed'),
  CRM_FAILURE: text('Le CRM a refusé la demande', 'The CRM refused the request'),
  CRM_INVALID_DATA: (d) => ({
    fr: `Le CRM a renvoyé des données invalides (${d.field ?? '?'})`,
    en: `The CRM returned invalid data (${d.field ?? '?'})`,
  }),
} satisfies Record<string, Describe>;

export const errorCodes = Object.keys(catalogue) as ReadonlyArray<ErrorCode>;

/** Builds the error for a code; the messages come from the one catalogue above. */
export const domainError = (code: ErrorCode, details?: ErrorDetails): DomainError => ({
  _tag: 'DomainError',
  code,
  message: catalogue[code](details ?? {}),
  ...(details === undefined ? {} : { details }),
});

/** The refusal of a send, carrying every blocking reason. */
export const sendRefused = (reasons: ReadonlyArray<DomainError>): DomainError => ({
  ...domainError('SEND_REFUSED', { count: reasons.length }),
  reasons,
});

/**
 * Whether the same call may succeed if made again and making it again is safe: a transient storage failure (a
 * restart, a dropped connection, a busy database), a full disk, a concurrent change. `STORAGE_OUTCOME_UNKNOWN` is
 * not: the change may have been saved, so only a call with an idempotency key (or after re-reading) is safe.
 */
export const isRetryable = (error: DomainError): boolean =>
  error.code === 'CONCURRENT_MODIFICATION' ||
  error.code === 'STORAGE_FULL' ||
  (error.code === 'STORAGE_FAILURE' && error.details?.retryable === true);

export const isDomainError = (u: unknown): u is DomainError =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'DomainError';
