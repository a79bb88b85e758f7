import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';

export interface HangingRelay {
  /** The 127.0.0.1 port Paraphe is configured with; it stays the same whatever the relay does. */
  readonly port: number;
  /** From now on every connection is accepted and held silent: not a byte is read back, nothing is closed. */
  readonly hang: () => void;
  /** Pipes new connections to 127.0.0.1:`target`, and drops the silent ones: the receiver is up (again). */
  readonly passTo: (target: number) => void;
  /** Connections accepted while hanging, dropped or not. */
  readonly held: () => number;
  readonly close: () => Promise<void>;
}

/**
 * Listens on a free 127.0.0.1 port and, until `passTo` names the real server, accepts connections and never answers,
 * as a receiver stuck behind a full queue does: the TCP handshake succeeds, so only a client's own timeouts end the
 * wait. `hang()` makes it so again.
 */
export const startHangingRelay = async (): Promise<HangingRelay> => {
  const piped = new Set<Socket>();
  const silent = new Set<Socket>();
  let target: number | undefined;
  let held = 0;
  const track = (set: Set<Socket>, socket: Socket) => {
    set.add(socket);
    socket.once('close', () => set.delete(socket));
    // A dropped peer is expected here; without a listener the error would be thrown.
    socket.on('error', () => undefined);
  };
  const server = createServer((inbound) => {
    if (target === undefined) {
      held += 1;
      track(silent, inbound);
      return;
    }
    const outbound = createConnection({ host: '127.0.0.1', port: target });
    track(piped, inbound);
    track(piped, outbound);
    inbound.pipe(outbound).pipe(inbound);
    inbound.once('error', () => outbound.destroy());
    outbound.once('error', () => inbound.destroy());
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const drop = (set: Set<Socket>) => {
    for (const socket of set) socket.destroy();
  };
  return {
    port,
    hang: () => {
      target = undefined;
    },
    passTo: (port) => {
      target = port;
      drop(silent);
    },
    held: () => held,
    close: () =>
      new Promise((resolve) => {
        drop(silent);
        drop(piped);
        server.close(() => resolve());
      }),
  };
};
