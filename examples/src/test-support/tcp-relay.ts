import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpRelay {
  readonly close: () => Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port` and pipes every connection to 127.0.0.1:`target`: a server that was down
 * "comes back" on the very port Paraphe was configured with, whatever port the real server got.
 */
export const startTcpRelay = async (port: number, target: number): Promise<TcpRelay> => {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((inbound) => {
    const outbound = createConnection({ host: '127.0.0.1', port: target });
    track(inbound);
    track(outbound);
    inbound.pipe(outbound).pipe(inbound);
    inbound.once('error', () => outbound.destroy());
    outbound.once('error', () => inbound.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
