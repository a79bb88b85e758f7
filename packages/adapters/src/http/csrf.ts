import { createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie that carries the same value as the form's hidden `csrf` field (double submit). */
export const CSRF_COOKIE = 'paraphe_csrf';

/**
 * The anti-forgery value of one signing link. Why an HMAC of the token: it is stateless (any app instance can check
 * it), it is useless for any other link, and without `csrfSecret` nobody can compute it from a token they guessed.
 */
export const csrfTokenFor = (secret: string, signingToken: string): string =>
  createHmac('sha256', secret).update(`paraphe-csrf\u0000${signingToken}`).digest('base64url');

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export interface CsrfEvidence {
  readonly field: string | undefined;
  readonly cookie: string | undefined;
  /** The browser's `Sec-Fetch-Site` header, when it sent one. */
  readonly fetchSite: string | undefined;
}

/**
 * A signer's POST is accepted only if the hidden field and the SameSite=Strict cookie both hold the link's value.
 * Why both: the field proves the form came from our page; the cookie, which a cross-site request never carries, proves
 * the request came from the signer's own browser. A browser that says the request is cross-site is refused outright.
 */
export const csrfAccepted = (secret: string, signingToken: string, evidence: CsrfEvidence): boolean => {
  if (evidence.fetchSite === 'cross-site') return false;
  if (evidence.field === undefined || evidence.cookie === undefined) return false;
  const expected = csrfTokenFor(secret, signingToken);
  // Both comparisons always run: the time taken says nothing about which one failed.
  const fieldOk = sameText(evidence.field, expected);
  const cookieOk = sameText(evidence.cookie, expected);
  return fieldOk && cookieOk;
};
