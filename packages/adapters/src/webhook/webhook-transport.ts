import type { LookupAddress, LookupOptions } from 'node:dns';
import { request } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { PinnedAddress, WebhookTarget } from './private-network.js';

/** The socket one attempt needs: to `host` (name or literal) on `port`, over TLS for https. */
export interface WebhookConnectTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** The vetted addresses of `host`, the only ones to connect to; `undefined` when the system may resolve. */
  readonly addresses: ReadonlyArray<PinnedAddress> | undefined;
}

/** Opens the socket of an attempt; injected by tests to see where the notifier connects. */
export type WebhookConnect = (target: WebhookConnectTarget) => Socket;

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `net.connect` that answers the vetted addresses whatever it is asked: the socket then connects to an
 * address the target check has seen, never to a second DNS answer. Every address is given when asked for all, so
 * Node still tries IPv6 and IPv4 in turn (happy eyeballs).
 */
const pinnedLookup =
  (addresses: ReadonlyArray<PinnedAddress>) =>
  (_hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const first = addresses[0];
    if (first === undefined)
      callback(Object.assign(new Error('no vetted address'), { code: 'ENOTFOUND' }), '');
    else if (options.all === true) callback(null, [...addresses]);
    else callback(null, first.address, first.family);
  };

/** The production `WebhookConnect`: TCP, or TLS checked against the host name, to the vetted addresses only. */
export const connectToVettedAddress: WebhookConnect = (target) => {
  const lookup = target.addresses === undefined ? {} : { lookup: pinnedLookup(target.addresses) };
  const where = { host: target.host, port: target.port, ...lookup };
  // tls.connect sends the host name as SNI and checks the certificate against it, not against the address.
  return target.tls
    ? tlsConnect({ ...where, servername: target.host, ALPNProtocols: ['http/1.1'] })
    : netConnect(where);
};

export interface WebhookPost {
  readonly target: WebhookTarget;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The whole attempt, response body included. */
  readonly timeoutMs: number;
  /** Past this many bytes of response body the connection is dropped: only the status is used. */
  readonly maxResponseBytes: number;
  readonly connect: WebhookConnect;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly retryAfter: string | undefined;
}

const connectTargetOf = ({ url, addresses }: WebhookTarget): WebhookConnectTarget => {
  const tls = url.protocol === 'https:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (tls ? 443 : 80) : Number(url.port),
    tls,
    addresses,
  };
};

/** POSTs once, without following redirects; rejects with the socket's error, or a `TimeoutError` past the timeout. */
export const postWebhook = (post: WebhookPost): Promise<WebhookAnswer> =>
  new Promise((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const req = request({
      method: 'POST',
      path: `${post.target.url.pathname}${post.target.url.search}`,
      headers: {
        host: post.target.url.host,
        'content-length': String(Buffer.byteLength(post.body)),
        ...post.headers,
      },
      // No agent: each attempt has a socket of its own, opened by `connect` to the vetted addresses.
      createConnection: () => post.connect(connectTargetOf(post.target)),
    });
    const timer = setTimeout(() => {
      settle(() => reject(new DOMException('webhook attempt timed out', 'TimeoutError')));
      req.destroy();
    }, post.timeoutMs);
    req.on('error', (error) => settle(() => reject(error)));
    req.on('response', (res) => {
      const answer = () => {
        const retryAfter = res.headers['retry-after'];
        settle(() => resolve({ status: res.statusCode ?? 0, retryAfter }));
      };
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // A receiver streaming an endless body must hold neither the attempt nor memory.
        if (read > post.maxResponseBytes) {
          answer();
          req.destroy();
        }
      });
      res.on('end', answer);
      res.on('error', (error) => settle(() => reject(error)));
    });
    req.end(post.body);
  });
