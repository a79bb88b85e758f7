import type { EmailKind, Language } from '@paraphe/domain';

/**
 * The keys a use case may put in `OutgoingEmail.template`: quoteNumber, senderName,
 * signerName, signingLink, deadline (already formatted for the reader), reason, quoteLink.
 * Placeholders are written `{key}`.
 */
export interface EmailTemplate {
  readonly heading: string;
  /** A paragraph naming a key that was not given is left out (a decline without a reason). */
  readonly paragraphs: ReadonlyArray<string>;
  /** The call to action; when `required` and its link is missing, the adapter sends `email.text` instead. */
  readonly action?: {
    readonly label: string;
    readonly key: 'signingLink' | 'quoteLink';
    readonly required: boolean;
  };
  readonly footer: string;
}

export type EmailTemplates = Readonly<Record<Language, Readonly<Record<EmailKind, EmailTemplate>>>>;
