import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackRequest {
  readonly method: string;
  /** The request target's path, query string removed. */
  readonly path: string;
  readonly contentType: string;
  readonly body: Uint8Array;
}

export interface LoopbackAnswer {
  readonly status: number;
  readonly contentType?: string;
  readonly body?: Uint8Array;
}

export interface LoopbackService {
  /** `http://127.0.0.1:<port>` with no trailing slash. */
  readonly origin: string;
  readonly close: () => Promise<void>;
}

export interface LoopbackOptions {
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number;
  /** A larger body is answered 413 without being read further. */
  readonly maxBodyBytes: number;
}

const reply = (res: ServerResponse, answer: LoopbackAnswer): void => {
  res.writeHead(answer.status, {
    ...(answer.contentType === undefined ? {} : { 'content-type': answer.contentType }),
    'content-length': String(answer.body?.byteLength ?? 0),
    'cache-control': 'no-store',
  });
  res.end(answer.body === undefined ? undefined : Buffer.from(answer.body));
};

const readBounded = (req: IncomingMessage, maxBytes: number): Promise<Uint8Array | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        // Stop buffering at once: an unbounded body must not grow the heap.
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });

/**
 * A small HTTP/1.1 server on 127.0.0.1 for the development trust services: bounded bodies, one synchronous
 * handler, and a handler that throws answers 500 instead of taking the process down.
 */
export const serveOnLoopback = async (
  handle: (request: LoopbackRequest) => LoopbackAnswer,
  options: LoopbackOptions,
): Promise<LoopbackService> => {
  const server = createServer((req, res) => {
    readBounded(req, options.maxBodyBytes).then(
      (body) => {
        if (body === 'too-large') {
          res.setHeader('connection', 'close');
          reply(res, { status: 413 });
          return;
        }
        let answer: LoopbackAnswer;
        try {
          answer = handle({
            method: req.method ?? 'GET',
            path: (req.url ?? '/').split('?')[0] ?? '/',
            contentType: (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase(),
            body,
          });
        } catch {
          answer = { status: 500 };
        }
        reply(res, answer);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive connections would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
};
