import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

/** A 127.0.0.1 port nothing listens on (bound, noted, released), for "connection refused" tests. */
export const closedPort = async (): Promise<number> => {
  const probe = createServer();
  const port = await new Promise<number>((resolve) =>
    probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)),
  );
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
};
