/**
 * How many characters (UTF-16 code units, as `String.length` counts them) of each value the certificate and the
 * stamp print: a longer value prints this many followed by "…". The full value stays in the audit trail. These
 * values come from the CRM or from the signer's browser, which can send anything; the bounds keep a certificate
 * to its usual few pages and its rendering time independent of them. Documented in this folder's README.
 */
export const PRINT_LIMITS = {
  /** Signer, sender, account (tenant). */
  name: 200,
  /** The longest address RFC 5321 allows. */
  email: 254,
  quoteNumber: 200,
  /** The quote's file name, as long as the CRM may give it. */
  documentName: 255,
  procedureId: 100,
  /** Enough for any IPv6 address with a zone. */
  ip: 64,
  /** Browsers' own user agents stay under 200 characters; the shipped HTTP app already cuts the header at 512. */
  userAgent: 256,
  /** The consent sentence, with the quote number it quotes cut at its own limit. */
  consentText: 1000,
} as const;

/** The first `max` characters of a value, then "…" when it is longer; a surrogate pair is never split. */
export const clip = (value: string, max: number): string => {
  if (value.length <= max) return value;
  const code = value.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${value.slice(0, end)}…`;
};
