import type { DomainError, RequestContext } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type { Context, Hono } from 'hono';
import { csrfAccepted } from './csrf.js';
import type { Flash } from './pages/flash-messages.js';
import { forbiddenMessage, messagePage, tooManyRequestsMessage } from './pages/message-page.js';
import { requestContext } from './request-context.js';
import { readCsrfCookie, setFlash } from './signer-cookies.js';
import { flashForError, flashForVerification, normaliseCode } from './signer-outcomes.js';
import {
  cookiePolicy,
  htmlResponse,
  notYourTurn,
  pageBase,
  type SignerRouteDeps,
} from './signer-route-deps.js';
import type { LimitedAction } from './signing-rate-limits.js';

type Form = Readonly<Record<string, unknown>>;
type Act = (token: string, form: Form, context: RequestContext) => Promise<E.Either<DomainError, Flash>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Runs one signer action behind the CSRF check and the rate limits, then redirects to the page (POST-redirect-GET). */
const action =
  (deps: SignerRouteDeps, limited: LimitedAction | undefined, act: Act) =>
  async (c: Context): Promise<Response> => {
    const token = c.req.param('token') ?? '';
    const base = pageBase(c);
    const form: Form = await c.req.parseBody();
    const evidence = {
      field: text(form.csrf),
      cookie: readCsrfCookie(c),
      fetchSite: c.req.header('sec-fetch-site'),
    };
    if (!csrfAccepted(deps.csrfSecret, token, evidence))
      return htmlResponse(c, messagePage(forbiddenMessage, base), 403);
    const context = requestContext(c, deps.clientAddress);
    if (limited !== undefined) {
      const decision = deps.limit(limited, token, context.ip ?? 'unknown');
      if (!decision.allowed) {
        const seconds = Math.ceil(decision.retryAfterMs / 1000);
        c.header('Retry-After', String(seconds));
        return htmlResponse(c, messagePage(tooManyRequestsMessage(seconds), base), 429);
      }
    }
    const outcome = await act(token, form, context);
    // Before their turn a signer can do nothing: the same page as the link's, not a flash on a page they cannot see.
    if (E.isLeft(outcome) && outcome.left.code === 'NOT_YOUR_TURN') return notYourTurn(c);
    const flash = E.isRight(outcome) ? outcome.right : flashForError(outcome.left);
    if (flash !== undefined) setFlash(c, cookiePolicy(c, deps), flash);
    return c.redirect(base, 303);
  };

const always =
  (flash: Flash) =>
  <A>(result: E.Either<DomainError, A>): E.Either<DomainError, Flash> =>
    E.map(() => flash)(result);

/** `POST /sign/:token/{code,verify,sign,decline}`. */
export const registerSignerActions = (app: Hono, deps: SignerRouteDeps): void => {
  const { signer } = deps;
  app.post(
    '/:token/code',
    action(deps, 'codeRequests', async (token, _form, context) =>
      always({ kind: 'code-sent' })(await signer.requestCode(token, context)()),
    ),
  );
  app.post(
    '/:token/verify',
    action(deps, 'verifications', async (token, form, context) => {
      const code = normaliseCode(form.code);
      // A blank or garbled entry is a typing slip: it is not sent to the use case, so it costs no attempt.
      if (code === undefined) return E.right({ kind: 'code-format' });
      return E.map(flashForVerification)(await signer.verifyCode(token, code, context)());
    }),
  );
  app.post(
    '/:token/sign',
    action(deps, undefined, async (token, form, context) =>
      always({ kind: 'signed' })(await signer.sign(token, form.consent === 'yes', context)()),
    ),
  );
  app.post(
    '/:token/decline',
    action(deps, undefined, async (token, form, context) =>
      always({ kind: 'declined' })(await signer.decline(token, text(form.reason), context)()),
    ),
  );
};
