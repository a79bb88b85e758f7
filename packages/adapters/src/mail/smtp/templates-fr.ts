import type { EmailKind } from '@paraphe/domain';
import type { EmailTemplate } from './email-template.js';

const automatic = 'Ce message est envoyé automatiquement, merci de ne pas y répondre directement.';

export const templatesFr: Readonly<Record<EmailKind, EmailTemplate>> = {
  invitation: {
    heading: 'Devis {quoteNumber} à signer',
    // The sender's own message comes first, as they wrote it, the link in place (rule 2).
    paragraphs: [
      '{message}',
      "Vous pouvez le signer jusqu'au {deadline}.",
      'Au moment de valider, un code de confirmation vous sera envoyé par SMS.',
    ],
    action: { label: 'Consulter et signer le devis', key: 'signingLink', required: true },
    footer: "Si vous n'attendiez pas ce message, vous pouvez l'ignorer.",
  },
  reminder: {
    heading: 'Rappel : devis {quoteNumber} en attente de signature',
    paragraphs: [
      'Bonjour {signerName},',
      '{senderName} attend toujours votre signature sur le devis {quoteNumber}.',
      "Le lien reste valable jusqu'au {deadline}.",
    ],
    action: { label: 'Consulter et signer le devis', key: 'signingLink', required: true },
    footer: "Si vous n'attendiez pas ce message, vous pouvez l'ignorer.",
  },
  'signed-notification': {
    heading: 'Devis {quoteNumber} signé',
    paragraphs: [
      'Bonjour {senderName},',
      '{signerName} a signé le devis {quoteNumber}.',
      'Le certificat de signature et le document signé sont disponibles sur le devis.',
    ],
    action: { label: 'Ouvrir le devis', key: 'quoteLink', required: false },
    footer: automatic,
  },
  'declined-notification': {
    heading: 'Devis {quoteNumber} refusé',
    paragraphs: [
      'Bonjour {senderName},',
      '{signerName} a refusé de signer le devis {quoteNumber}.',
      'Motif indiqué : {reason}',
      'Le crédit de signature a été restitué.',
    ],
    action: { label: 'Ouvrir le devis', key: 'quoteLink', required: false },
    footer: automatic,
  },
  'expired-notification': {
    heading: 'Procédure expirée pour le devis {quoteNumber}',
    paragraphs: [
      'Bonjour {senderName},',
      'La procédure de signature du devis {quoteNumber} a expiré le {deadline} sans être signée.',
      'Le crédit de signature a été restitué ; vous pouvez envoyer à nouveau le devis pour signature.',
    ],
    action: { label: 'Ouvrir le devis', key: 'quoteLink', required: false },
    footer: automatic,
  },
};
