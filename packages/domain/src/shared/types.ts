/** Identifiers are opaque strings chosen by the CRM (tenant, user, quote) or by Paraphe (procedure). */
export type TenantId = string;
export type UserId = string;
export type QuoteId = string;
export type ProcedureId = string;

export type Language = 'fr' | 'en';
export const languages: ReadonlyArray<Language> = ['fr', 'en'];

declare const brand: unique symbol;
/** A value being built field by field before it is handed out as its readonly type. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type Brand<A, B extends string> = A & { readonly [brand]: B };

/** An email address accepted by the send rules. */
export type EmailAddress = Brand<string, 'EmailAddress'>;
/** A mobile number in E.164 form (`+33612345678`). */
export type MobileNumber = Brand<string, 'MobileNumber'>;
/** Lower-case hexadecimal SHA-256 digest. */
export type Sha256Hex = Brand<string, 'Sha256Hex'>;

/** The longest user agent a timeline keeps; a longer one is cut (browsers send 100–300 characters). */
export const MAX_USER_AGENT_LENGTH = 512;

/** Where a signer's request came from, recorded on the timeline when known. */
export interface RequestContext {
  readonly ip?: string;
  readonly userAgent?: string;
}
