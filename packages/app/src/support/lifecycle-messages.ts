import type {
  AuditEvent,
  CrmUser,
  EmailAddress,
  EmailKind,
  LifecycleNotification,
  OutboxMessage,
  SignatureProcedure,
  Transition,
} from '@paraphe/domain';
import { formatInTimeZone } from './format-date.js';

/**
 * With several signers, whose step the event was (its data names the signer, 1-based, only then) and how many have
 * signed: the CRM can say who signed and who is awaited. With one signer, nothing is added.
 */
const signerProgress = (
  procedure: SignatureProcedure,
  cause: AuditEvent,
): Pick<LifecycleNotification, 'signer' | 'signers'> => {
  if (procedure.signers.length === 1) return {};
  const signers = {
    signed: procedure.signers.filter((s) => s.status === 'signed').length,
    total: procedure.signers.length,
  };
  const numbered = cause.data.signer;
  const signer = typeof numbered === 'number' ? procedure.signers[numbered - 1] : undefined;
  return signer === undefined
    ? { signers }
    : { signer: { position: signer.position, name: signer.identity.name }, signers };
};

/**
 * Every status change is told to the CRM once, with an id unique to the event that caused it; so is every signer's
 * signature, even one that leaves the procedure's status as it was (the first of two parallel signers).
 */
export const crmNotifications = (
  before: SignatureProcedure,
  transition: Transition,
): ReadonlyArray<OutboxMessage> => {
  const after = transition.procedure;
  const cause = transition.events[0];
  if (cause === undefined || (after.status === before.status && cause.type !== 'signed')) return [];
  const id = `${after.id}.event-${cause.sequence}`;
  return [
    {
      kind: 'notification',
      id,
      notification: {
        id,
        tenantId: after.tenantId,
        procedureId: after.id,
        quoteId: after.quoteId,
        type: cause.type,
        status: after.status,
        at: cause.at,
        ...(typeof cause.data.reason === 'string' ? { reason: cause.data.reason } : {}),
        ...signerProgress(after, cause),
      },
    },
  ];
};

/** Who the sender's email names: everyone once signed, the signer who declined; the one signer, as always. */
const signerNames = (procedure: SignatureProcedure): string => {
  const declined = procedure.signers.find((s) => s.status === 'declined');
  if (procedure.status === 'declined' && declined !== undefined) return declined.identity.name;
  return procedure.signers.map((s) => s.identity.name).join(', ');
};

const senderNotices: Partial<Record<SignatureProcedure['status'], EmailKind>> = {
  signed: 'signed-notification',
  declined: 'declined-notification',
  expired: 'expired-notification',
};

const subjects: Record<string, { fr: string; en: string }> = {
  'signed-notification': { fr: 'Offre {n} signée', en: 'Quote {n} signed' },
  'declined-notification': { fr: 'Offre {n} refusée', en: 'Quote {n} declined' },
  'expired-notification': {
    fr: 'Offre {n} : procédure de signature expirée',
    en: 'Quote {n}: signature procedure expired',
  },
};

const bodies: Record<string, { fr: string; en: string }> = {
  'signed-notification': {
    fr: "{signer} a signé l'offre {n} le {date}. Le PDF signé et le certificat de signature sont disponibles. Vérifiez la signature avant de marquer l'offre gagnée.",
    en: '{signer} signed quote {n} on {date}. The signed PDF and the certificate of signature are available. Check the signature before marking the quote won.',
  },
  // With several signers the email names them all, once the last has signed (none is sent per signature before).
  'signed-notification-several': {
    fr: "Tous les signataires ont signé l'offre {n} ({signer}), le dernier le {date}. Le PDF signé et le certificat de signature sont disponibles. Vérifiez les signatures avant de marquer l'offre gagnée.",
    en: 'Every signer signed quote {n} ({signer}), the last on {date}. The signed PDF and the certificate of signature are available. Check the signatures before marking the quote won.',
  },
  'declined-notification': {
    fr: "{signer} a refusé de signer l'offre {n} le {date}.{reason}",
    en: '{signer} declined to sign quote {n} on {date}.{reason}',
  },
  'expired-notification': {
    fr: "La procédure de signature de l'offre {n} a expiré le {date} sans signature. Le crédit a été restitué.",
    en: 'The signature procedure of quote {n} expired on {date} without a signature. The credit was given back.',
  },
};

const fill = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

/** The sender hears by email when their quote is signed, declined or expires. */
export const senderNotification = (
  transition: Transition,
  sender: CrmUser | undefined,
): ReadonlyArray<OutboxMessage> => {
  const procedure = transition.procedure;
  const kind = senderNotices[procedure.status];
  if (kind === undefined || sender?.email === undefined || procedure.credit === 'reserved') return [];
  const language = procedure.language;
  const values = {
    n: procedure.quoteNumber,
    signer: signerNames(procedure),
    date: formatInTimeZone(procedure.endedAt, procedure.timeZone, language),
    reason:
      procedure.credit !== 'released' || procedure.declineReason === undefined
        ? ''
        : ` ${language === 'fr' ? 'Motif' : 'Reason'} : ${procedure.declineReason}`,
  };
  const id = `${procedure.id}.${kind}`;
  return [
    {
      kind: 'email',
      id,
      email: {
        id,
        tenantId: procedure.tenantId,
        procedureId: procedure.id,
        kind,
        language,
        to: sender.email as EmailAddress,
        toName: sender.name,
        subject: fill(subjects[kind]![language], values),
        text: fill(
          bodies[kind === 'signed-notification' && procedure.signers.length > 1 ? `${kind}-several` : kind]![
            language
          ],
          values,
        ),
        // The mail adapter renders these with its own templates, which greet `senderName` and date an expiry by
        // `deadline`: a key they do not name is ignored, and a paragraph missing its key is left out.
        template: {
          quoteNumber: values.n,
          senderName: sender.name,
          signerName: values.signer,
          date: values.date,
          deadline: formatInTimeZone(procedure.deadline, procedure.timeZone, language),
          reason: (procedure.credit === 'released' ? procedure.declineReason : undefined) ?? '',
        },
      },
    },
  ];
};
