import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import { MAX_USER_AGENT_LENGTH, type RequestContext } from '@paraphe/domain';
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

/**
 * The IP address and user agent recorded on the procedure's timeline. An address that is not one IP (a whole
 * forwarded-for list from a host's `clientAddress`) is left out rather than refusing the signer's action.
 */
export const requestContext = (c: Context, clientAddress: ClientAddress): RequestContext => {
  const address = clientAddress(c.req.raw, c);
  const ip = address !== undefined && isIP(address) !== 0 ? address : undefined;
  const userAgent = c.req.header('user-agent')?.slice(0, MAX_USER_AGENT_LENGTH);
  return {
    ...(ip === undefined ? {} : { ip }),
    ...(userAgent === undefined || userAgent === '' ? {} : { userAgent }),
  };
};
