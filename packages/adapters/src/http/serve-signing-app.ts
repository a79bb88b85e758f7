import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface SigningServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** Serves the app on Node's HTTP server; for a standalone signing service, the demo and tests. */
export const serveSigningApp = (
  app: Pick<Hono, 'fetch'>,
  options: { readonly hostname?: string; readonly port?: number } = {},
): Promise<SigningServer> =>
  new Promise((resolve, reject) => {
    const hostname = options.hostname ?? '127.0.0.1';
    const server = serve(
      { fetch: (request, env) => app.fetch(request, env), hostname, port: options.port ?? 0 },
      (info: AddressInfo) => {
        resolve({
          url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              if ('closeAllConnections' in server) server.closeAllConnections();
              server.close((error) => (error === undefined ? done() : fail(error)));
            }),
        });
      },
    );
    server.once('error', reject);
  });
