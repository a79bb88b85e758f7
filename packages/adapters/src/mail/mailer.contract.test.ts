import type { Mailer, OutgoingEmail } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { failingChecks } from '../testing/contract-suite.js';
import { mailerContract } from './mailer.contract.js';
import { freshInMemoryMailer } from './test-support/fresh-in-memory-mailer.js';

/** The full name of the one check whose name starts so. */
const check = (start: string): string => {
  const found = mailerContract.filter((c) => c.name.startsWith(start));
  if (found.length !== 1) throw new Error(`${found.length} checks start with "${start}"`);
  return found[0]!.name;
};

const failuresOf = (wrap: (inner: Mailer) => Mailer) =>
  failingChecks(mailerContract, freshInMemoryMailer(wrap));

const sendingAs =
  (change: (email: OutgoingEmail) => OutgoingEmail) =>
  (inner: Mailer): Mailer => ({ send: (email) => inner.send(change(email)) });

describe('the Mailer contract itself', () => {
  it('passes the in-memory mailer', async () => {
    expect(await failuresOf((inner) => inner)).toStrictEqual([]);
  });

  it('fails a mailer that drops the reply-to', async () => {
    const dropReplyTo = sendingAs(({ replyTo: _, ...rest }) => rest);
    expect(await failuresOf(dropReplyTo)).toStrictEqual([check('delivers an email to its recipient')]);
  });

  it('fails a mailer that gives a retry a new message identity', async () => {
    let attempt = 0;
    const freshIdEachTime = sendingAs((email) => ({ ...email, id: `${email.id}#${attempt++}` }));
    expect(await failuresOf(freshIdEachTime)).toStrictEqual([check('makes the same id sent twice')]);
  });

  it('fails a mailer whose message identity drops the characters a header cannot hold', async () => {
    const lossy = sendingAs((email) => ({ ...email, id: email.id.replace(/[^A-Za-z0-9]/g, '') }));
    expect(await failuresOf(lossy)).toStrictEqual([check('keeps different ids different messages')]);
  });

  it('fails a mailer that renders a template without the signing link', async () => {
    const linkless = sendingAs((email) =>
      email.template === undefined ? email : { ...email, text: 'Votre devis vous attend.' },
    );
    expect(await failuresOf(linkless)).toStrictEqual([check('brings the signing link')]);
  });

  it('fails a mailer that sends when the task is made, not when it is run', async () => {
    const eager = (inner: Mailer): Mailer => ({
      send: (email) => {
        const sent = inner.send(email)();
        return () => sent;
      },
    });
    expect(await failuresOf(eager)).toStrictEqual([check('sends nothing until its task is run')]);
  });

  it('fails a mailer that calls every refusal retryable', async () => {
    const alwaysRetry = (inner: Mailer): Mailer => ({
      send: (email) =>
        pipe(
          inner.send(email),
          TE.mapLeft((e) => ({ ...e, retryable: true })),
        ),
    });
    expect(await failuresOf(alwaysRetry)).toStrictEqual([check('reports a recipient refused for good')]);
  });

  it('fails a mailer whose errors quote the message, or carry a free-text reason', async () => {
    const quoting = (inner: Mailer): Mailer => ({
      send: (email) =>
        pipe(
          inner.send(email),
          TE.mapLeft((e) => ({ ...e, detail: email.text })),
        ),
    });
    const chatty = (inner: Mailer): Mailer => ({
      send: (email) =>
        pipe(
          inner.send(email),
          TE.mapLeft((e) => ({ ...e, reason: 'mailbox unavailable' })),
        ),
    });
    const refusals = [check('reports a recipient refused for good'), check('reports a refusal for now')];
    expect(await failuresOf(quoting)).toStrictEqual(refusals);
    expect(await failuresOf(chatty)).toStrictEqual(refusals);
  });
});
