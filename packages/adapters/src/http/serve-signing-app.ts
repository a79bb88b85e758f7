import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** How long a client may take, and how many may be connected at once. */
export interface ServerLimits {
  /** From the first byte of a request (or the connection) to the end of its headers. */
  readonly headersTimeoutMs: number;
  /** From the first byte of a request to the end of its body; at least `headersTimeoutMs`. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after a response. */
  readonly keepAliveTimeoutMs: number;
  /** Connections past this number are closed as soon as they are accepted. */
  readonly maxConnections: number;
}

/** Seconds, not Node's minutes: a client trickling its headers or its body holds a connection for no longer. */
export const defaultServerLimits: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
};

export interface ServeSigningAppOptions extends Partial<ServerLimits> {
  readonly hostname?: string;
  readonly port?: number;
}

export interface SigningServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  readonly url: string;
  /** The limits in force, read back from the server. */
  readonly limits: ServerLimits;
  readonly close: () => Promise<void>;
}

const checkedLimits = (options: Partial<ServerLimits>): ServerLimits => {
  const limits = { ...defaultServerLimits, ...options };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new RangeError(`${name} must be a positive integer`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new RangeError('headersTimeoutMs must not exceed requestTimeoutMs');
  return limits;
};

/** Serves the app on Node's HTTP server, slow and surplus clients bounded; for a standalone signing service, the demo and tests. */
export const serveSigningApp = (
  app: Pick<Hono, 'fetch'>,
  options: ServeSigningAppOptions = {},
): Promise<SigningServer> =>
  new Promise((resolve, reject) => {
    const { hostname = '127.0.0.1', port = 0, ...asked } = options;
    const limits = checkedLimits(asked);
    const server = serve(
      {
        fetch: (request, env) => app.fetch(request, env),
        hostname,
        port,
        serverOptions: {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          // Node looks for expired headers and requests only this often (30 s by default, which would stretch a
          // 10 s headers timeout to 40 s): a quarter of the shorter timeout, at most a second.
          connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
        },
      },
      (info: AddressInfo) => {
        resolve({
          url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`,
          limits: {
            headersTimeoutMs: nodeServer.headersTimeout,
            requestTimeoutMs: nodeServer.requestTimeout,
            keepAliveTimeoutMs: nodeServer.keepAliveTimeout,
            maxConnections: nodeServer.maxConnections,
          },
          close: () =>
            new Promise<void>((done, fail) => {
              nodeServer.closeAllConnections();
              nodeServer.close((error) => (error === undefined ? done() : fail(error)));
            }),
        });
      },
    );
    // Without `createServer` or TLS options, @hono/node-server makes a plain node:http server.
    const nodeServer = server as Server;
    nodeServer.maxConnections = limits.maxConnections;
    nodeServer.keepAliveTimeout = limits.keepAliveTimeoutMs;
    nodeServer.once('error', reject);
  });
