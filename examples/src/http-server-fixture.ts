import { serveSigningApp } from '@paraphe/adapters/http';
import { type FixtureOptions, makeSigningFixture, type SigningFixture } from './http-fixture.js';

export interface ServedFixture extends SigningFixture {
  /** `http://127.0.0.1:<port>`; the emailed links point below it. */
  readonly url: string;
  readonly close: () => Promise<void>;
}

/**
 * The fixture behind a real HTTP server on a free loopback port. The server starts first, so the links Paraphe puts in
 * its emails can name the port it actually got.
 */
export const serveSigningFixture = async (options: FixtureOptions = {}): Promise<ServedFixture> => {
  let app: SigningFixture['app'] | undefined;
  const server = await serveSigningApp({
    fetch: (request, env) =>
      app === undefined ? new Response('starting', { status: 503 }) : app.fetch(request, env),
  });
  const fixture = await makeSigningFixture({ ...options, signingBaseUrl: `${server.url}/sign/` });
  app = fixture.app;
  return {
    ...fixture,
    url: server.url,
    close: async () => {
      await server.close();
      await fixture.paraphe.close();
    },
  };
};
