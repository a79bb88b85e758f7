import * as E from 'fp-ts/lib/Either.js';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { CSRF_COOKIE } from './csrf.js';
import { type Flash, FlashCodec } from './pages/flash-messages.js';

const FLASH_COOKIE = 'paraphe_flash';

export interface CookiePolicy {
  /** The signing page's path: each link's cookies stay with that link. */
  readonly path: string;
  readonly secure: boolean;
}

// HttpOnly: no script needs them. SameSite=Strict: a request from another site never carries them (CSRF defence).
const options = (policy: CookiePolicy, maxAge: number) =>
  ({ path: policy.path, secure: policy.secure, httpOnly: true, sameSite: 'Strict', maxAge }) as const;

export const setCsrfCookie = (c: Context, policy: CookiePolicy, value: string): void =>
  setCookie(c, CSRF_COOKIE, value, options(policy, 24 * 3600));

export const readCsrfCookie = (c: Context): string | undefined => getCookie(c, CSRF_COOKIE);

/** Leaves a message for the page the POST redirects to (POST-redirect-GET). */
export const setFlash = (c: Context, policy: CookiePolicy, flash: Flash): void =>
  setCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), options(policy, 60));

/** Reads and clears the message; anything that does not decode (a hand-made cookie) is ignored. */
export const takeFlash = (c: Context, policy: CookiePolicy): Flash | undefined => {
  const value = getCookie(c, FLASH_COOKIE);
  if (value === undefined) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: policy.path, secure: policy.secure });
  try {
    const decoded = FlashCodec.decode(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return E.isRight(decoded) ? decoded.right : undefined;
  } catch {
    return undefined;
  }
};

const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Secure unless configured otherwise or served over plain http to this machine (development, tests). */
export const cookiesSecure = (c: Context, configured: boolean | undefined): boolean => {
  if (configured !== undefined) return configured;
  const url = new URL(c.req.url);
  return !(url.protocol === 'http:' && loopback.test(url.hostname));
};
