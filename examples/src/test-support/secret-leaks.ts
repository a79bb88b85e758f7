import { SIGNING_LINK_PLACEHOLDER } from '@paraphe/app';
import { simpleParser } from 'mailparser';
import { type DeliveryWorld, SECRETS, SIGNING_BASE_URL } from './delivery-world.js';
import { type RawMailbox, signingLinkIn } from './mailbox.js';

const basicAuth = Buffer.from(`${SECRETS.accountSid}:${SECRETS.authToken}`).toString('base64');

/** Every signing token that left by email: read back from the links, as a signer would. */
const tokensMailed = async (boxes: ReadonlyArray<RawMailbox>): Promise<ReadonlyArray<string>> => {
  const mails = await Promise.all(boxes.flatMap((box) => box.received.map((raw) => simpleParser(raw))));
  return mails.flatMap((mail) => {
    try {
      return [signingLinkIn(mail, SIGNING_BASE_URL).token];
    } catch {
      return [];
    }
  });
};

// A code is six digits; only a run of exactly those six counts, so a timestamp does not match by accident.
const containsCode = (text: string, code: string) => new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text);

/**
 * Where a secret shows up that should not: in what the process printed, in an error a use case
 * returned, or (tokens and codes) in the outbox. Empty when nothing leaked.
 */
export const secretLeaks = async (
  world: DeliveryWorld,
  printed: string,
  extraMailboxes: ReadonlyArray<RawMailbox> = [],
): Promise<ReadonlyArray<string>> => {
  const tokens = await tokensMailed([...(world.smtp === undefined ? [] : [world.smtp]), ...extraMailboxes]);
  const codes = world.codesSent();
  const errors = JSON.stringify(world.errors);
  const outbox = JSON.stringify(await world.outbox());
  const fixed = {
    secretKey: SECRETS.secretKey,
    authToken: SECRETS.authToken,
    basicAuth,
    webhookSecret: SECRETS.webhookSecret,
    webhookUrlToken: new URL(world.webhook.url).searchParams.get('token') ?? '',
  };
  const leaks: string[] = [];
  for (const [where, text] of [
    ['output', printed],
    ['errors', errors],
    ['outbox', outbox],
  ] as const) {
    for (const [name, value] of Object.entries(fixed))
      if (text.includes(value)) leaks.push(`${name} in ${where}`);
    for (const token of tokens) if (text.includes(token)) leaks.push(`signing token in ${where}`);
    for (const code of codes) if (containsCode(text, code)) leaks.push(`SMS code ${code} in ${where}`);
  }
  // The placeholder proves invitations were stored without their link, not merely that none was stored.
  const invitations = (await world.outbox()).filter(
    (r) => r.message.kind === 'email' && r.message.email.kind === 'invitation',
  );
  for (const r of invitations)
    if (!JSON.stringify(r).includes(SIGNING_LINK_PLACEHOLDER))
      leaks.push(`invitation ${r.message.id} without placeholder`);
  return leaks;
};
