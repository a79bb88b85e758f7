import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TwilioBehaviour = 'created' | 'invalid-number' | 'rate-limited' | 'server-error' | 'hang';

export interface FakeTwilio {
  readonly baseUrl: string;
  /** Forms of the requests that passed the auth and shape checks. */
  readonly requests: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Forms of the requests answered 201: the messages the provider took. */
  readonly accepted: ReadonlyArray<Readonly<Record<string, string>>>;
  /** The next valid requests get these behaviours, in order, before the script is read again. */
  readonly failNext: (...behaviours: ReadonlyArray<TwilioBehaviour>) => void;
  readonly close: () => Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * A node:http server on 127.0.0.1 shaped like Twilio's Messages API: it checks the path,
 * Basic auth and form fields, then answers from `script` (one behaviour per valid request,
 * the last one repeating; `failNext` goes first). Its error messages echo the request, as real providers may.
 */
export const startFakeTwilio = async (
  credentials: { readonly accountSid: string; readonly authToken: string },
  script: ReadonlyArray<TwilioBehaviour>,
): Promise<FakeTwilio> => {
  const requests: Record<string, string>[] = [];
  const accepted: Record<string, string>[] = [];
  const forced: TwilioBehaviour[] = [];
  let scripted = 0;
  const expectedPath = `/2010-04-01/Accounts/${credentials.accountSid}/Messages.json`;
  const expectedAuth = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
  const server = createServer(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    if (req.method !== 'POST' || req.url !== expectedPath)
      return json(res, 404, { code: 20404, status: 404 });
    if (req.headers.authorization !== expectedAuth) {
      return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    const hasSender = form.From !== undefined || form.MessagingServiceSid !== undefined;
    if (
      !req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ||
      !form.To ||
      !form.Body ||
      !hasSender
    ) {
      return json(res, 400, { code: 21604, message: 'A required parameter is missing', status: 400 });
    }
    requests.push(form);
    const behaviour = forced.shift() ?? script[Math.min(scripted++, script.length - 1)] ?? 'created';
    const echo = `The 'To' number ${form.To} is not valid (body: ${form.Body})`;
    switch (behaviour) {
      case 'created':
        accepted.push(form);
        return json(res, 201, {
          sid: `SM${String(requests.length).padStart(32, '0')}`,
          status: 'queued',
          body: form.Body,
        });
      case 'invalid-number':
        return json(res, 400, {
          code: 21211,
          message: echo,
          more_info: 'https://www.twilio.com/docs/errors/21211',
          status: 400,
        });
      case 'rate-limited':
        return json(
          res,
          429,
          { code: 20429, message: 'Too Many Requests', status: 429 },
          { 'retry-after': '2' },
        );
      case 'server-error':
        return json(res, 500, { code: 20500, message: `Internal error for ${form.Body}`, status: 500 });
      case 'hang':
        return undefined;
    }
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    accepted,
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
