import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { registerAdminRoutes } from './api/admin-routes.js';
import { httpError } from './api/api-errors.js';
import { type ApiEnv, jsonWritesOnly, requireActor } from './api/api-support.js';
import { registerSenderRoutes } from './api/sender-routes.js';
import { errorMessage, messagePage, tooLargeMessage } from './pages/message-page.js';
import { socketAddress } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { registerSignerActions } from './signer-action-routes.js';
import { registerSignerPages } from './signer-page-routes.js';
import { htmlResponse, inactiveLink, type SignerRouteDeps } from './signer-route-deps.js';
import { assertValidDeps, type SigningAppDeps } from './signing-app-deps.js';
import { defaultSigningRateLimits, makeSigningRateLimiter } from './signing-rate-limits.js';

const isApi = (path: string): boolean => /\/api(\/|$)/.test(path);

const signerApp = (routeDeps: SignerRouteDeps): Hono => {
  const sign = new Hono();
  // A signer sends a code or a short reason; anything bigger is not from our page.
  sign.use(
    '*',
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => htmlResponse(c, messagePage(tooLargeMessage), 413) }),
  );
  registerSignerPages(sign, routeDeps);
  registerSignerActions(sign, routeDeps);
  return sign;
};

const apiApp = (deps: SigningAppDeps): Hono<ApiEnv> => {
  const api = new Hono<ApiEnv>();
  api.use(
    '*',
    bodyLimit({
      maxSize: 256 * 1024,
      onError: (c) =>
        httpError(c, 413, 'PAYLOAD_TOO_LARGE', { fr: 'Requête trop volumineuse', en: 'Request too large' }),
    }),
  );
  api.use('*', requireActor(deps.authenticate));
  api.use('*', jsonWritesOnly);
  registerSenderRoutes(api, deps.sender);
  registerAdminRoutes(api, deps.admin);
  return api;
};

/**
 * The signer's page (`/sign/:token…`) and the sender's JSON API (`/api/…`) as one Hono app: serve it alone or mount it
 * into the CRM's server (`host.route('/esign', app)` or `app.fetch`). It reaches Paraphe only through the input ports.
 */
export const makeSigningApp = (deps: SigningAppDeps): Hono => {
  assertValidDeps(deps);
  const limits = { ...defaultSigningRateLimits, ...deps.rateLimits };
  const routeDeps: SignerRouteDeps = {
    signer: deps.signer,
    csrfSecret: deps.csrfSecret,
    secureCookies: deps.secureCookies,
    clientAddress: deps.clientAddress ?? socketAddress,
    limit: makeSigningRateLimiter(limits),
  };
  const report = deps.onError ?? ((error: unknown) => console.error('paraphe http:', error));

  const app = new Hono();
  app.use('*', securityHeaders(deps.frameAncestors ?? []));
  app.route('/sign', signerApp(routeDeps));
  app.route('/api', apiApp(deps));
  const devOutbox = deps.devOutbox;
  if (devOutbox !== undefined) app.get('/_dev/outbox', (c) => c.json(devOutbox() as object));

  app.notFound((c) =>
    isApi(c.req.path)
      ? httpError(c, 404, 'NOT_FOUND', { fr: 'Ressource introuvable', en: 'Not found' })
      : inactiveLink(c),
  );
  // Why a generic answer: a stack trace or an exception message would tell an outsider about our internals.
  app.onError((error, c) => {
    report(error);
    return isApi(c.req.path)
      ? httpError(c, 500, 'INTERNAL_ERROR', { fr: 'Erreur interne', en: 'Internal error' })
      : htmlResponse(c, messagePage(errorMessage), 500);
  });
  return app;
};
