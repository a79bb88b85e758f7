import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';

/** A TCP relay to the test server that can go silent, as a server behind a dead network link would. */
export interface SilentRelay {
  readonly port: number;
  /** From now on, every byte either way is dropped, on open connections and new ones alike. */
  readonly silence: () => void;
  /** Bytes flow again (those dropped are lost: a connection that was silenced stays broken). */
  readonly resume: () => void;
  readonly close: () => Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0: any free port) and forwards to `target`. */
export const startSilentRelay = async (
  target: { readonly host: string; readonly port: number },
  port = 0,
): Promise<SilentRelay> => {
  let silent = false;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      if (!silent) to.write(chunk);
    });
    from.once('close', () => to.destroy());
    from.once('error', () => to.destroy());
  };
  const server = createServer((inbound) => {
    const outbound = createConnection(target);
    track(inbound);
    track(outbound);
    forward(inbound, outbound);
    forward(outbound, inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    silence: () => {
      silent = true;
    },
    resume: () => {
      silent = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

/** A port nothing listens on (it was free a moment ago). */
export const unusedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};
