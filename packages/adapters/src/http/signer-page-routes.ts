import type { SigningPageView } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type { Context, Hono } from 'hono';
import { csrfTokenFor } from './csrf.js';
import { declinedPage } from './pages/declined-page.js';
import { errorMessage, messagePage } from './pages/message-page.js';
import { signedPage } from './pages/signed-page.js';
import { ownStatus } from './pages/signers-section.js';
import { signingPage } from './pages/signing-page.js';
import { pdfResponse } from './pdf-response.js';
import { requestContext } from './request-context.js';
import { setCsrfCookie, takeFlash } from './signer-cookies.js';
import {
  cookiePolicy,
  htmlResponse,
  inactiveLink,
  notYourTurn,
  pageBase,
  type SignerRouteDeps,
} from './signer-route-deps.js';

/**
 * States whose link no longer works; shown exactly like an unknown link. Another signer's decline ended the procedure
 * for everyone: this signer's link is dead too (only the one who declined keeps the page saying they did).
 */
const isInactive = (view: SigningPageView): boolean =>
  view.status === 'expired' ||
  view.status === 'cancelled' ||
  view.status === 'failed' ||
  (view.status === 'declined' && ownStatus(view) !== 'declined');

/** Opens the procedure behind a token; anything but a live or finished-by-the-signer procedure is "inactive". */
const openPage = async (c: Context, deps: SignerRouteDeps, token: string) => {
  const opened = await deps.signer.open(token, requestContext(c, deps.clientAddress))();
  if (E.isLeft(opened)) {
    switch (opened.left.code) {
      case 'LINK_INVALID':
        return { kind: 'response', response: inactiveLink(c) } as const;
      case 'NOT_YOUR_TURN':
        return { kind: 'response', response: notYourTurn(c) } as const;
      default:
        return { kind: 'response', response: htmlResponse(c, messagePage(errorMessage), 500) } as const;
    }
  }
  if (isInactive(opened.right)) return { kind: 'response', response: inactiveLink(c) } as const;
  return { kind: 'view', view: opened.right } as const;
};

/** `GET /sign/:token` and `GET /sign/:token/document`. */
export const registerSignerPages = (app: Hono, deps: SignerRouteDeps): void => {
  app.get('/:token', async (c) => {
    const token = c.req.param('token');
    const opened = await openPage(c, deps, token);
    if (opened.kind === 'response') return opened.response;
    const { view } = opened;
    const policy = cookiePolicy(c, deps);
    const flash = takeFlash(c, policy);
    const base = pageBase(c);
    // The signer's own progress: with several signers, theirs may be signed while the procedure waits for others.
    switch (view.status === 'signed' ? 'signed' : ownStatus(view)) {
      case 'signed':
        return htmlResponse(c, signedPage(view, base, flash), 200);
      case 'declined':
        return htmlResponse(c, declinedPage(view), 200);
      default: {
        const csrf = csrfTokenFor(deps.csrfSecret, token);
        setCsrfCookie(c, policy, csrf);
        return htmlResponse(
          c,
          signingPage({ view, base, csrf, ...(flash === undefined ? {} : { flash }) }),
          200,
        );
      }
    }
  });

  app.get('/:token/document', async (c) => {
    const token = c.req.param('token');
    // The use case serves the document of any matched token; checking the state first keeps an ended link inactive.
    const opened = await openPage(c, deps, token);
    if (opened.kind === 'response') return opened.response;
    const file = await deps.signer.document(token)();
    if (E.isLeft(file)) return inactiveLink(c);
    return pdfResponse(file.right, c.req.query('download') === undefined ? 'inline' : 'attachment');
  });
};
