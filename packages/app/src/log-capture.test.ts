import { permanentMailFailure } from '@paraphe/adapters';
import { deliveryError, type LogFields, type Logger } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { right } from './test-support/harness.js';
import { DAY, MINUTE, readyHarness, send, signQuote, verify } from './test-support/story.js';

const SECRET_KEY = 'test-code-hash-key-0123456789abcdef';

/** A logger that keeps every line, as an operator's log store would. */
const capturing = () => {
  const lines: Array<{ level: string; fields: LogFields; message: string }> = [];
  const at = (level: string) => (fields: LogFields, message: string) =>
    void lines.push({ level, fields, message });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
};

describe('log lines', () => {
  it('tell an operator every delivery, retry, give-up, sweep and worker run, and never a secret', async () => {
    const { logger, lines } = capturing();
    const h = await readyHarness({ logger, credits: 6, quotes: 5 });
    // Signed, with a retried invitation on the way.
    h.mailer.failNext(deliveryError(true, 'TIMEOUT'));
    const retried = await send(h, 'q1');
    h.clock.advanceBy(MINUTE);
    await right(h.paraphe.system.runPeriodicJobs());
    const token = await verify(h, retried.id);
    await right(h.paraphe.signer.sign(token, true));
    // Declined; refused for good; expired; a second procedure signed the short way.
    const declined = await send(h, 'q2');
    await right(h.paraphe.signer.decline(h.tokenFor(declined.id), 'Trop cher'));
    h.mailer.failNext(permanentMailFailure());
    await send(h, 'q3');
    await signQuote(h, 'q4');
    await send(h, 'q5'); // left to expire
    h.clock.advanceBy(16 * DAY);
    const stopping = new AbortController();
    const worker = h.paraphe.system.startWorker({
      signal: stopping.signal,
      intervalMs: 1,
      onRun: () => stopping.abort(),
    });
    await worker;

    const messages = lines.map((l) => l.message);
    for (const expected of [
      'outbox message delivered',
      'outbox delivery failed, retry scheduled',
      'outbox message given up',
      'worker started',
      'worker stopped',
    ])
      expect(messages, expected).toContain(expected);
    expect(messages.some((m) => m.startsWith('expiry sweep:'))).toBe(true);
    expect(lines.find((l) => l.message === 'outbox message given up')?.fields).toMatchObject({
      kind: 'invitation',
      tenantId: 'acme',
      reason: 'SMTP_REJECTED',
    });

    const text = JSON.stringify(lines);
    const links = h.mailer.sent.flatMap((m) =>
      m.template?.signingLink === undefined ? [] : [m.template.signingLink],
    );
    const tokens = links.map((link) => link.slice(link.lastIndexOf('/') + 1));
    const codes = h.sms.sent.flatMap((m) => m.text.match(/(?<!\d)\d{6}(?!\d)/g) ?? []);
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    expect(codes.length).toBeGreaterThanOrEqual(2);
    const leaks = [
      ...links.filter((link) => text.includes(link)).map(() => 'signing link'),
      ...tokens.filter((t) => text.includes(t)).map(() => 'link token'),
      ...codes.filter((code) => new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text)).map((c) => `SMS code ${c}`),
      ...(text.includes(SECRET_KEY) ? ['secret key'] : []),
    ];
    expect(leaks).toEqual([]);
  });
});
