import type { QuoteId, TenantId, UserId } from '../shared/types.js';

/** The person who signs, as the CRM stores them: email and mobile are unchecked text until the send rules prove them. */
export interface Contact {
  readonly id: string;
  readonly firstName?: string;
  readonly lastName: string;
  readonly email?: string;
  readonly mobile?: string;
}

export interface QuoteDocument {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

/** The commercial offer as read from the CRM. Paraphe never changes it (nor its opportunity). */
export interface Quote {
  readonly id: QuoteId;
  readonly tenantId: TenantId;
  readonly number: string;
  /** The sales user who owns the quote. */
  readonly ownerId: UserId;
  readonly opportunityId?: string;
  readonly contact?: Contact;
  /** The quote's other contacts, who may be asked to sign too (several signatories at the client). */
  readonly otherContacts?: ReadonlyArray<Contact>;
  readonly document?: QuoteDocument;
}

export const contactFullName = (contact: Contact): string =>
  [contact.firstName, contact.lastName].filter((part) => part !== undefined && part !== '').join(' ');
