import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultServerLimits,
  type ServeSigningAppOptions,
  type SigningServer,
  serveSigningApp,
} from './serve-signing-app.js';

// Reads the whole body before answering, as the signing app's form and JSON routes do.
const echo = { fetch: async (request: Request) => new Response(`read ${(await request.text()).length}`) };

const servers: SigningServer[] = [];
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const start = async (options: ServeSigningAppOptions) => {
  const server = await serveSigningApp(echo, options);
  servers.push(server);
  return server;
};

interface Client {
  readonly socket: Socket;
  readonly received: () => string;
  /** Milliseconds from the connection to the server closing it, or `undefined` if still open after `ms`. */
  readonly closedWithin: (ms: number) => Promise<number | undefined>;
}

const open = async (server: SigningServer): Promise<Client> => {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  const opened = Date.now();
  let text = '';
  socket.on('data', (chunk) => {
    text += String(chunk);
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - opened)));
  await new Promise((resolve) => socket.once('connect', resolve));
  return {
    socket,
    received: () => text,
    closedWithin: (ms) =>
      Promise.race([closed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]),
  };
};

/** Writes `text`, then one more byte every `everyMs` for as long as the socket is open. */
const trickle = (client: Client, text: string, everyMs: number) => {
  let sent = 0;
  client.socket.write(text);
  const timer = setInterval(() => {
    if (client.socket.writable) {
      client.socket.write('a');
      sent++;
    }
  }, everyMs);
  timers.push(timer);
  return { sent: () => sent };
};

const answered = async (client: Client, path = '/') => {
  client.socket.write(`GET ${path} HTTP/1.1\r\nHost: signing.test\r\n\r\n`);
  await expect.poll(client.received).toMatch(/^HTTP\/1\.1 200 [\s\S]*read 0$/);
};

describe('serveSigningApp bounds slow clients', () => {
  it('cuts a client sending its headers a byte at a time, at the headers timeout', async () => {
    const server = await start({ headersTimeoutMs: 500, requestTimeoutMs: 5000 });
    const client = await open(server);
    const slow = trickle(client, 'GET /sign/tok HTTP/1.1\r\nHost: signing.test\r\nX-Slow: ', 100);
    const closedAfter = await client.closedWithin(3000);
    expect(closedAfter).toBeGreaterThanOrEqual(450);
    expect(closedAfter).toBeLessThan(1500);
    expect(slow.sent()).toBeGreaterThanOrEqual(3);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts a client that never finishes its body, at the request timeout', async () => {
    const server = await start({ headersTimeoutMs: 300, requestTimeoutMs: 1200 });
    const client = await open(server);
    const headers = 'POST /api/procedures HTTP/1.1\r\nHost: signing.test\r\nContent-Length: 1000\r\n\r\n';
    const slow = trickle(client, headers, 100);
    const closedAfter = await client.closedWithin(4000);
    // Past the headers timeout (the headers were complete), at the request timeout (give or take a check interval).
    expect(closedAfter).toBeGreaterThanOrEqual(1150);
    expect(closedAfter).toBeLessThan(2500);
    expect(slow.sent()).toBeGreaterThanOrEqual(8);
  });

  it('cuts a connection that sends nothing, at the headers timeout', async () => {
    const server = await start({ headersTimeoutMs: 400, requestTimeoutMs: 5000 });
    const client = await open(server);
    const closedAfter = await client.closedWithin(3000);
    expect(closedAfter).toBeGreaterThanOrEqual(350);
    expect(closedAfter).toBeLessThan(1500);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout (and the second Node adds)', async () => {
    const server = await start({ keepAliveTimeoutMs: 300 });
    const client = await open(server);
    await answered(client);
    const answeredAt = Date.now();
    expect(await client.closedWithin(3000)).toBeDefined();
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(250);
    expect(Date.now() - answeredAt).toBeLessThan(300 + 1000 + 700);
  });

  it('closes connections past the cap at once, and accepts again when one is gone', async () => {
    const server = await start({ maxConnections: 2 });
    const first = await open(server);
    const second = await open(server);
    // Answered: the server holds both connections.
    await Promise.all([answered(first), answered(second)]);
    const third = await open(server);
    third.socket.write('GET / HTTP/1.1\r\nHost: signing.test\r\n\r\n');
    expect(await third.closedWithin(1000)).toBeDefined();
    expect(third.received()).toBe('');

    first.socket.destroy();
    await expect
      .poll(async () => {
        const next = await open(server);
        next.socket.write('GET / HTTP/1.1\r\nHost: signing.test\r\n\r\n');
        await next.closedWithin(100);
        return next.received();
      })
      .toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('serveSigningApp limits', () => {
  it('are seconds by default, as the server reports them', async () => {
    const server = await start({});
    expect(server.limits).toEqual(defaultServerLimits);
    const client = await open(server);
    await answered(client);
    expect(client.received()).toMatch(/\r\nKeep-Alive: timeout=5\r\n/);
    expect(defaultServerLimits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_000,
    });
  });

  it('are taken as given', async () => {
    const limits = {
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 7,
    };
    expect((await start(limits)).limits).toEqual(limits);
  });

  it.each([
    [{ headersTimeoutMs: 0 }, 'headersTimeoutMs must be a positive integer'],
    [{ maxConnections: Number.POSITIVE_INFINITY }, 'maxConnections must be a positive integer'],
    [{ requestTimeoutMs: 1.5 }, 'requestTimeoutMs must be a positive integer'],
    [{ headersTimeoutMs: 40_000 }, 'headersTimeoutMs must not exceed requestTimeoutMs'],
  ])('refuse %o', async (options, message) => {
    await expect(serveSigningApp(echo, options)).rejects.toThrow(new RangeError(message));
  });
});
