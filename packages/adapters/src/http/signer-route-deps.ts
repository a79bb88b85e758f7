import type { SignerUseCases } from '@paraphe/domain';
import type { Context } from 'hono';
import type { SafeHtml } from './html.js';
import { inactiveLinkMessage, messagePage, notYourTurnMessage } from './pages/message-page.js';
import type { RateDecision } from './rate-limiter.js';
import type { ClientAddress } from './request-context.js';
import { type CookiePolicy, cookiesSecure } from './signer-cookies.js';
import type { LimitedAction } from './signing-rate-limits.js';

export interface SignerRouteDeps {
  readonly signer: SignerUseCases;
  readonly csrfSecret: string;
  readonly secureCookies: boolean | undefined;
  readonly clientAddress: ClientAddress;
  readonly limit: (action: LimitedAction, token: string, ip: string) => RateDecision;
}

/** The signing page's own path (`…/sign/<token>`), whatever prefix the host application mounted us under. */
export const pageBase = (c: Context): string =>
  c.req.path.replace(/\/(code|verify|sign|decline|document)$/, '');

export const cookiePolicy = (c: Context, deps: SignerRouteDeps): CookiePolicy => ({
  path: pageBase(c),
  secure: cookiesSecure(c, deps.secureCookies),
});

export const htmlResponse = (c: Context, page: SafeHtml, status: 200 | 403 | 404 | 409 | 413 | 429 | 500) =>
  c.html(page.value, status);

/**
 * Why one answer for unknown, malformed, expired, cancelled and failed links: a link that no longer works must tell
 * someone who found it nothing about the procedure behind it, not even that there was one. Same status, same body,
 * same headers (no cookie is set or cleared here).
 */
export const inactiveLink = (c: Context) => htmlResponse(c, messagePage(inactiveLinkMessage), 404);

/**
 * A later signer's link before their turn (`NOT_YOUR_TURN`), for the page, the document and every action alike: 409
 * (the link is right, the procedure's state is not yet the one it needs), a bilingual page that names nothing of the
 * procedure, no cookie.
 */
export const notYourTurn = (c: Context) => htmlResponse(c, messagePage(notYourTurnMessage), 409);
