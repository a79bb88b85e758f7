import { performance } from 'node:perf_hooks';
import type { DomainError, OutboxRecord } from '@paraphe/domain';
import type * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type SmtpTestServer,
  startSmtpTestServer,
} from '../../packages/adapters/src/mail/smtp/test-support/smtp-test-server.js';
import {
  type DeliveryWorld,
  SENDER_EMAIL,
  SIGNER_EMAIL,
  SIGNING_BASE_URL,
  seller,
  startDeliveryWorld,
  unwrap,
} from './test-support/delivery-world.js';
import { type HangingRelay, startHangingRelay } from './test-support/hanging-relay.js';
import { mailsTo, signingLinkIn } from './test-support/mailbox.js';
import { captureOutput, type OutputCapture } from './test-support/output-capture.js';
import { secretLeaks } from './test-support/secret-leaks.js';

const MINUTE = 60_000;
/** The bound on a request while every receiver hangs: the budget (1 000 ms) and the call's own work. */
const ANSWER_WITHIN_MS = 1_500;

let world: DeliveryWorld | undefined;
let output: OutputCapture | undefined;
let mailServer: SmtpTestServer | undefined;
const relays: HangingRelay[] = [];

beforeEach(() => {
  output = captureOutput();
});
afterEach(async () => {
  output?.restore();
  if (world !== undefined)
    expect(await secretLeaks(world, output?.text() ?? '', mailServer ? [mailServer] : [])).toEqual([]);
  // Dropping the held connections ends any delivery still waiting on them: nothing keeps the process alive.
  await Promise.all(relays.splice(0).map((relay) => relay.close()));
  await world?.close();
  await mailServer?.close();
  world = undefined;
  mailServer = undefined;
});

const portOf = (url: string) => Number(new URL(url).port);

/** A message a request claimed and is still delivering in the background: claimed (leased), never attempted. */
const inFlight = (records: ReadonlyArray<OutboxRecord>, now: Date) =>
  records.filter((r) => r.status === 'pending' && r.attempts === 0 && r.nextAttemptAt > now);

const countBy = (xs: ReadonlyArray<string>): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const x of xs) counts[x] = (counts[x] ?? 0) + 1;
  return counts;
};

describe('hung receivers: no request waits on delivery', () => {
  it('every call answers within the bound while SMTP and the CRM webhook hang; the worker delivers everything once after', async () => {
    mailServer = await startSmtpTestServer();
    const mailRelay = await startHangingRelay();
    const webhookRelay = await startHangingRelay();
    relays.push(mailRelay, webhookRelay);
    mailRelay.passTo(mailServer.port);
    world = await startDeliveryWorld({ mailPort: mailRelay.port, webhookPort: webhookRelay.port });
    const w = world;
    const { signer } = w.paraphe;
    webhookRelay.passTo(portOf(w.webhook.url));

    // Two procedures sent while every receiver answers: their links reach the signer.
    const a = await w.send('0701');
    const b = await w.send('0702');
    expect([a.status, b.status]).toEqual(['sent', 'sent']);
    const invitations = await mailsTo(mailServer, SIGNER_EMAIL);
    const tokenOf = (procedureId: string) => {
      const mail = invitations.find((m) => m.messageId === `<${procedureId}.invitation@acme.example>`);
      return signingLinkIn(mail!, SIGNING_BASE_URL).token;
    };
    const [tokenA, tokenB] = [tokenOf(a.id), tokenOf(b.id)];

    // Both receivers now accept connections and never answer.
    mailRelay.hang();
    webhookRelay.hang();
    const timings: Array<readonly [string, number]> = [];
    const timed = async <A>(call: string, task: () => Promise<E.Either<DomainError, A>>): Promise<A> => {
      const started = performance.now();
      const result = await unwrap(task);
      timings.push([call, performance.now() - started]);
      return result;
    };

    const started = performance.now();
    const c = await w.send('0703');
    timings.push(['sender.send', performance.now() - started]);
    expect(c.status).toBe('pending');
    expect((await timed('signer.open', signer.open(tokenA))).status).toBe('opened');
    await timed('signer.requestCode', signer.requestCode(tokenA));
    const code = w.codesSent().at(-1)!;
    expect(await timed('signer.verifyCode', signer.verifyCode(tokenA, code))).toEqual({
      outcome: 'verified',
    });
    expect((await timed('signer.sign', signer.sign(tokenA, true))).status).toBe('signed');
    expect((await timed('signer.open (another)', signer.open(tokenB))).status).toBe('opened');
    expect((await timed('signer.decline', signer.decline(tokenB, 'Trop cher'))).status).toBe('declined');

    expect(timings.filter(([, ms]) => ms >= ANSWER_WITHIN_MS)).toEqual([]);
    // The deliveries did reach the receivers, which held them; nothing was accepted meanwhile.
    expect(mailRelay.held()).toBeGreaterThan(0);
    expect(webhookRelay.held()).toBeGreaterThan(0);
    expect(await mailsTo(mailServer, SIGNER_EMAIL)).toHaveLength(2);
    expect(w.webhook.events.map((e) => e.type)).toEqual(['invitation_sent', 'invitation_sent']);

    // The receivers answer again; the connections they held are dropped, so the deliveries waiting on them end and
    // record their outcome. Only then may the clock run ahead: a claim is a lease on that clock.
    mailRelay.passTo(mailServer.port);
    webhookRelay.passTo(portOf(w.webhook.url));
    await vi.waitFor(async () => expect(inFlight(await w.outbox(), w.clock.now())).toEqual([]), {
      timeout: 15_000,
      interval: 50,
    });

    const stop = new AbortController();
    const worker = w.paraphe.system.startWorker({
      signal: stop.signal,
      intervalMs: 10,
      // Past each retry delay (one minute for a first failure).
      onRun: () => w.clock.advanceBy(MINUTE),
    });
    try {
      await vi.waitFor(
        async () => expect((await w.outbox()).filter((r) => r.status !== 'delivered')).toEqual([]),
        { timeout: 15_000, interval: 50 },
      );
    } finally {
      stop.abort();
      await worker;
    }

    expect([(await w.procedure(a.id)).status, (await w.procedure(b.id)).status]).toEqual([
      'signed',
      'declined',
    ]);
    expect((await w.procedure(c.id)).status).toBe('sent');
    const toSigner = await mailsTo(mailServer, SIGNER_EMAIL);
    expect(countBy(toSigner.map((m) => m.messageId ?? ''))).toEqual({
      [`<${a.id}.invitation@acme.example>`]: 1,
      [`<${b.id}.invitation@acme.example>`]: 1,
      [`<${c.id}.invitation@acme.example>`]: 1,
    });
    const toSender = await mailsTo(mailServer, SENDER_EMAIL);
    expect(toSender.map((m) => m.subject).sort()).toEqual([
      'Offre D-2026-0701 signée',
      'Offre D-2026-0702 refusée',
    ]);
    expect(w.crm.followUpActions.map((f) => f.procedureId)).toEqual([a.id]);

    // Each status change reached the CRM once: one accepted request per event.
    const accepted = w.webhook.attempts
      .filter((attempt) => attempt.status < 300)
      .map((attempt) => attempt.id);
    expect(Object.values(countBy(accepted)).every((n) => n === 1)).toBe(true);
    expect(w.webhook.events.map((e) => `${e.procedureId} ${e.type}`).sort()).toEqual(
      [
        `${a.id} invitation_sent`,
        `${a.id} opened`,
        `${a.id} code_verified`,
        `${a.id} signed`,
        `${b.id} invitation_sent`,
        `${b.id} opened`,
        `${b.id} declined`,
        `${c.id} invitation_sent`,
      ].sort(),
    );
    expect(w.webhook.rejected).toEqual([]);
    expect(await unwrap(w.paraphe.sender.getCredits(seller))).toEqual({
      purchased: 3,
      available: 1,
      reserved: 1,
      captured: 1,
    });
  });
});
