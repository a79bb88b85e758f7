import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An error smtp-server turns into the given SMTP reply. */
export const smtpReply = (responseCode: number, message: string): Error =>
  Object.assign(new Error(message), { responseCode });

export interface SmtpTestServer {
  readonly port: number;
  /** Raw messages received, in order. */
  readonly received: ReadonlyArray<Buffer>;
  readonly close: () => Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (random port), plain text, no auth; `rcpt` may refuse recipients. */
export const startSmtpTestServer = async (
  options: { readonly rcpt?: (address: string) => Error | undefined } = {},
): Promise<SmtpTestServer> => {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(options.rcpt?.(address.address) ?? null);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const net = server.listen(0, '127.0.0.1', () => resolve((net.address() as AddressInfo).port));
    net.once('error', reject);
  });
  return {
    port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
