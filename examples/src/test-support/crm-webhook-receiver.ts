import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, WebhookEvent } from '@paraphe/adapters/webhook';
import * as E from 'fp-ts/lib/Either.js';

export interface CrmWebhookReceiver {
  /** Where Paraphe posts; the query token stands for a secret a CRM may put in its URL. */
  readonly url: string;
  /** Events whose signature verified, in arrival order. */
  readonly events: ReadonlyArray<WebhookEvent>;
  /** Deliveries refused, by verification code. */
  readonly rejected: ReadonlyArray<string>;
  /** Every request whose signature verified, duplicates included, with the status it was answered. */
  readonly attempts: ReadonlyArray<WebhookAttempt>;
  readonly close: () => Promise<void>;
}

export interface WebhookAttempt {
  readonly id: string;
  readonly type: string;
  readonly status: number;
}

/** The status the CRM answers a verified event with; 204 (accepted) unless told otherwise. */
export type WebhookAnswer = (event: WebhookEvent) => number;

const first = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A CRM endpoint on 127.0.0.1 written the way the webhook README tells a CRM developer to. */
export const startCrmWebhookReceiver = async (
  secret: string,
  now: () => Date,
  answer: WebhookAnswer = () => 204,
): Promise<CrmWebhookReceiver> => {
  const events: WebhookEvent[] = [];
  const rejected: string[] = [];
  const attempts: WebhookAttempt[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const verified = verifyWebhookSignature({
      secret,
      header: first(req.headers, 'paraphe-signature'),
      timestamp: first(req.headers, 'paraphe-timestamp'),
      body,
      now: now(),
    });
    if (E.isLeft(verified)) {
      rejected.push(verified.left.code);
      res.writeHead(401).end();
      return;
    }
    const event = WebhookEvent.decode(JSON.parse(body));
    if (E.isLeft(event) || event.right.id !== first(req.headers, 'paraphe-event-id')) {
      rejected.push('BAD_EVENT');
      res.writeHead(400).end();
      return;
    }
    const status = answer(event.right);
    attempts.push({ id: event.right.id, type: event.right.type, status });
    if (status < 300 && !events.some((e) => e.id === event.right.id)) events.push(event.right);
    res.writeHead(status).end();
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/paraphe/events?token=crm-url-token-0f3a`,
    events,
    rejected,
    attempts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
