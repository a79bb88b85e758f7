import type { DomainError, UserActor } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Context, MiddlewareHandler } from 'hono';
import type * as t from 'io-ts';
import { decodeJson } from './api-codecs.js';
import { domainErrorResponse, httpError, unauthenticated } from './api-errors.js';

export type ApiEnv = { Variables: { actor: UserActor } };

/** The CRM's `authenticate` decides who calls; no actor, no access. */
export const requireActor =
  (authenticate: (request: Request) => Promise<UserActor | undefined>): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const actor = await authenticate(c.req.raw);
    if (actor === undefined) return unauthenticated(c);
    c.set('actor', actor);
    await next();
  };

/**
 * Why JSON only for writes: an HTML form on another site can POST to us with the user's CRM session cookie, but it
 * cannot send `Content-Type: application/json` without a CORS preflight, which we never grant. Together with refusing
 * requests the browser marks cross-site, this protects a CRM that authenticates its users by cookie.
 */
export const jsonWritesOnly: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  if (c.req.header('sec-fetch-site') === 'cross-site')
    return httpError(c, 403, 'CROSS_SITE_REQUEST', {
      fr: "Requête d'un autre site refusée",
      en: 'Cross-site request refused',
    });
  if (c.req.method !== 'DELETE' && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
    return httpError(c, 415, 'UNSUPPORTED_MEDIA_TYPE', {
      fr: 'Le corps de la requête doit être du JSON (Content-Type: application/json)',
      en: 'The request body must be JSON (Content-Type: application/json)',
    });
  return next();
};

/** Reads a JSON body with a codec; bad input answers 400 `INVALID_INPUT` naming the fields. */
export const withBody = async <A, O>(
  c: Context,
  codec: t.Type<A, O, unknown>,
  handle: (body: A) => Promise<Response>,
): Promise<Response> => {
  const decoded = decodeJson(codec)(await c.req.text());
  if (E.isLeft(decoded))
    return httpError(
      c,
      400,
      'INVALID_INPUT',
      { fr: 'Les données fournies ne sont pas valides', en: 'The data given is not valid' },
      { fields: decoded.left },
    );
  return handle(decoded.right);
};

/** Runs a use case: a Right becomes the answer, a Left its domain error with the mapped status. */
export const answer = async <A>(
  c: Context,
  task: TE.TaskEither<DomainError, A>,
  ok: (value: A) => Response,
): Promise<Response> => {
  const result = await task();
  return E.isLeft(result) ? domainErrorResponse(c, result.left) : ok(result.right);
};
