import { getConnInfo } from '@hono/node-server/conninfo';
import type { RequestContext } from '@paraphe/domain';
import type { Context } from 'hono';

/** Finds the client's address; given by the host application when a proxy sits in front. */
export type ClientAddress = (request: Request, c: Context) => string | undefined;

/**
 * Why the socket address by default, not `X-Forwarded-For`: that header is set by whoever sends the request, so
 * trusting it would let anyone pick the address their rate limit is counted against. Behind a trusted proxy, pass a
 * `clientAddress` that reads the proxy's header.
 */
export const socketAddress: ClientAddress = (_request, c) => {
  // `app.request()` in tests and other runtimes have no Node socket: no address rather than an exception per request.
  const env = c.env as { readonly incoming?: unknown; readonly server?: unknown } | undefined;
  if (env?.incoming === undefined && env?.server === undefined) return undefined;
  return getConnInfo(c).remote.address;
};

const MAX_USER_AGENT = 512;

/** The IP address and user agent recorded on the procedure's timeline. */
export const requestContext = (c: Context, clientAddress: ClientAddress): RequestContext => {
  const ip = clientAddress(c.req.raw, c);
  const userAgent = c.req.header('user-agent')?.slice(0, MAX_USER_AGENT);
  return {
    ...(ip === undefined ? {} : { ip }),
    ...(userAgent === undefined || userAgent === '' ? {} : { userAgent }),
  };
};
