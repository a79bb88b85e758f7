import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import { makeWebhookDeduplicator } from '../webhook-deduplicator.js';
import { WebhookEvent } from '../webhook-payload.js';
import { verifyWebhookSignature } from '../webhook-signature.js';

/**
 * What the receiver answers after a valid, new event: `fail-after-processing` processes it, then says 500;
 * `{ status }` answers that status without processing.
 */
export type ReceiverBehaviour =
  | 'ok'
  | 'fail-after-processing'
  | 'unavailable'
  | 'bad-request'
  | 'redirect'
  | 'hang'
  | { readonly status: number };

export interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface CrmReceiver {
  readonly url: string;
  readonly deliveries: ReadonlyArray<Delivery>;
  /** Events handled, each once. */
  readonly processed: ReadonlyArray<WebhookEvent>;
  /** Verification failures, by code. */
  readonly rejected: ReadonlyArray<string>;
  /** The next deliveries get these behaviours, in order, before the script is read again. */
  readonly failNext: (...behaviours: ReadonlyArray<ReceiverBehaviour>) => void;
  readonly close: () => Promise<void>;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** A CRM endpoint on 127.0.0.1 written as a receiver would, with the exported helpers only. */
export const startCrmReceiver = async (
  secret: string,
  now: () => Date,
  script: ReadonlyArray<ReceiverBehaviour>,
): Promise<CrmReceiver> => {
  const deliveries: Delivery[] = [];
  const processed: WebhookEvent[] = [];
  const rejected: string[] = [];
  const dedup = makeWebhookDeduplicator();
  const forced: ReceiverBehaviour[] = [];
  let scripted = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    deliveries.push({ headers: req.headers, body });
    const behaviour = forced.shift() ?? script[Math.min(scripted++, script.length - 1)] ?? 'ok';
    if (behaviour === 'hang') return;
    if (behaviour === 'redirect') {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      return;
    }
    const verified = verifyWebhookSignature({
      secret,
      header: header(req.headers, 'Paraphe-Signature'),
      timestamp: header(req.headers, 'Paraphe-Timestamp'),
      body,
      now: now(),
      toleranceSeconds: 300,
    });
    if (E.isLeft(verified)) {
      rejected.push(verified.left.code);
      res.writeHead(401).end();
      return;
    }
    const event = WebhookEvent.decode(JSON.parse(body));
    if (E.isLeft(event) || event.right.id !== header(req.headers, 'Paraphe-Event-Id')) {
      res.writeHead(400).end();
      return;
    }
    if (typeof behaviour === 'object') {
      res.writeHead(behaviour.status).end();
      return;
    }
    if (behaviour === 'unavailable' || behaviour === 'bad-request') {
      res.writeHead(behaviour === 'unavailable' ? 503 : 400).end();
      return;
    }
    if (!dedup.seen(event.right.id)) {
      processed.push(event.right);
      dedup.remember(event.right.id);
    }
    res.writeHead(behaviour === 'fail-after-processing' ? 500 : 200).end();
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/paraphe/events?token=crm-url-token-SECRET`,
    deliveries,
    processed,
    rejected,
    failNext: (...behaviours) => {
      forced.push(...behaviours);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
