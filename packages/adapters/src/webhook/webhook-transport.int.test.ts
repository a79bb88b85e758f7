import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { PinnedAddress } from './private-network.js';
import { connectToVettedAddress, postWebhook, type WebhookPost } from './webhook-transport.js';

// 127.0.0.2 is loopback too, but `localhost` resolves to 127.0.0.1 (or ::1): a socket that reaches a server listening
// on 127.0.0.2 only, for the URL http://localhost:<port>, went to the vetted address and not to a fresh DNS answer.
const vetted: ReadonlyArray<PinnedAddress> = [{ address: '127.0.0.2', family: 4 }];

const servers: Array<{ close: (done: () => void) => unknown; closeAllConnections?: () => void }> = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections?.();
          s.close(() => resolve());
        }),
    ),
  );
});

const listenOn127002 = async (server: Server | ReturnType<typeof createTlsServer>): Promise<number> => {
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.2', () => resolve((server.address() as AddressInfo).port)),
  );
};

const post = (url: string, over: Partial<WebhookPost> = {}) =>
  postWebhook({
    target: { url: new URL(url), addresses: vetted },
    headers: { 'content-type': 'application/json' },
    body: '{"id":"evt-1"}',
    timeoutMs: 2000,
    maxResponseBytes: 4096,
    connect: connectToVettedAddress,
    ...over,
  });

describe('postWebhook over connectToVettedAddress', () => {
  it('connects to the vetted address, with the URL host in the Host header', async () => {
    const seen: Array<{ headers: IncomingHttpHeaders; url: string | undefined; body: string }> = [];
    const port = await listenOn127002(
      createServer(async (req, res) => {
        let body = '';
        for await (const chunk of req) body += String(chunk);
        seen.push({ headers: req.headers, url: req.url, body });
        res.writeHead(204).end();
      }),
    );
    expect(await post(`http://localhost:${port}/paraphe/events?token=t`)).toEqual({
      status: 204,
      retryAfter: undefined,
    });
    expect(seen).toMatchObject([
      { headers: { host: `localhost:${port}` }, url: '/paraphe/events?token=t', body: '{"id":"evt-1"}' },
    ]);
  });

  it('misses that server when nothing is vetted and the system resolves localhost (the control)', async () => {
    const port = await listenOn127002(createServer((_, res) => res.writeHead(204).end()));
    await expect(
      post(`http://localhost:${port}/x`, {
        target: { url: new URL(`http://localhost:${port}/x`), addresses: undefined },
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('over https, sends the URL host as TLS server name while connecting to the vetted address', async () => {
    const serverNames: string[] = [];
    // No certificate at all: the handshake fails after the client said which name it wants.
    const server = createTlsServer({
      SNICallback: (name, done) => {
        serverNames.push(name);
        done(new Error('no certificate here'));
      },
    });
    server.on('tlsClientError', () => undefined);
    const port = await listenOn127002(server);
    await expect(post(`https://localhost:${port}/x`)).rejects.toBeDefined();
    expect(serverNames).toEqual(['localhost']);
  });

  it('reads a few KB of an endless response body, then drops the connection', async () => {
    let closed = false;
    const port = await listenOn127002(
      createServer((_, res) => {
        res.writeHead(200, { 'retry-after': '7' });
        const chunk = 'x'.repeat(1024);
        const timer = setInterval(() => res.write(chunk), 5);
        res.on('close', () => {
          clearInterval(timer);
          closed = true;
        });
      }),
    );
    const started = Date.now();
    expect(await post(`http://localhost:${port}/x`, { timeoutMs: 5000 })).toEqual({
      status: 200,
      retryAfter: '7',
    });
    expect(Date.now() - started).toBeLessThan(1500);
    await expect.poll(() => closed).toBe(true);
  });

  it('gives up past the timeout with a TimeoutError and closes the socket', async () => {
    const sockets: Socket[] = [];
    const server = createServer(() => undefined);
    server.on('connection', (socket) => sockets.push(socket));
    const port = await listenOn127002(server);
    await expect(post(`http://localhost:${port}/x`, { timeoutMs: 100 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await expect.poll(() => sockets.every((s) => s.destroyed || s.readableEnded)).toBe(true);
  });
});
