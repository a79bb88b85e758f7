import type { EmailKind } from '@paraphe/domain';
import type { EmailTemplate } from './email-template.js';

const automatic = 'This message was sent automatically; please do not reply to it directly.';

export const templatesEn: Readonly<Record<EmailKind, EmailTemplate>> = {
  invitation: {
    heading: 'Quote {quoteNumber} to sign',
    // The sender's own message comes first, as they wrote it, the link in place (rule 2).
    paragraphs: [
      '{message}',
      'You can sign it until {deadline}.',
      'When you confirm, a code will be sent to you by text message.',
    ],
    action: { label: 'Review and sign the quote', key: 'signingLink', required: true },
    footer: 'If you were not expecting this message, you can ignore it.',
  },
  reminder: {
    heading: 'Reminder: quote {quoteNumber} is waiting for your signature',
    paragraphs: [
      'Hello {signerName},',
      '{senderName} is still waiting for your signature on quote {quoteNumber}.',
      'The link stays valid until {deadline}.',
    ],
    action: { label: 'Review and sign the quote', key: 'signingLink', required: true },
    footer: 'If you were not expecting this message, you can ignore it.',
  },
  'signed-notification': {
    heading: 'Quote {quoteNumber} signed',
    paragraphs: [
      'Hello {senderName},',
      '{signerName} signed quote {quoteNumber}.',
      'The certificate of signature and the signed document are available on the quote.',
    ],
    action: { label: 'Open the quote', key: 'quoteLink', required: false },
    footer: automatic,
  },
  'declined-notification': {
    heading: 'Quote {quoteNumber} declined',
    paragraphs: [
      'Hello {senderName},',
      '{signerName} declined to sign quote {quoteNumber}.',
      'Reason given: {reason}',
      'The signature credit has been released.',
    ],
    action: { label: 'Open the quote', key: 'quoteLink', required: false },
    footer: automatic,
  },
  'expired-notification': {
    heading: 'Signature procedure expired for quote {quoteNumber}',
    paragraphs: [
      'Hello {senderName},',
      'The signature procedure for quote {quoteNumber} expired on {deadline} without a signature.',
      'The signature credit has been released; you can send the quote for signature again.',
    ],
    action: { label: 'Open the quote', key: 'quoteLink', required: false },
    footer: automatic,
  },
};
