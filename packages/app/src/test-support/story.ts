import type { ProcedureView, SendInput, UserActor } from '@paraphe/domain';
import { admin, type Harness, type HarnessOptions, makeHarness, right, seller, TENANT } from './harness.js';
import type { Scope } from './observe.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const DAY = 24 * 3600 * SECOND;

/** A tenant with e-signature on, `credits` credits and quotes `q1`…`qN` ready to send. */
export const readyHarness = async (
  options: HarnessOptions & { readonly credits?: number; readonly quotes?: number } = {},
): Promise<Harness> => {
  const h = await makeHarness(options);
  await right(h.paraphe.admin.activate(admin));
  const credits = options.credits ?? 3;
  if (credits > 0)
    await right(h.paraphe.admin.orderCredits(admin, { quantity: credits, orderReference: 'PO-1' }));
  for (let i = 1; i <= (options.quotes ?? 3); i++) await h.putQuote(`q${i}`);
  return h;
};

export const scopeOf = (...quoteIds: ReadonlyArray<string>): Scope => ({
  tenants: [TENANT, 'globex'],
  quotes: quoteIds.map((id) => [TENANT, id] as const),
});

export const sendInput = (quoteId: string, extra: Partial<SendInput> = {}): SendInput => ({
  quoteId,
  subject: `Devis ${quoteId}`,
  body: 'Bonjour, signez ici : {{signing_link}}',
  ...extra,
});

export const send = (h: Harness, quoteId: string, actor: UserActor = seller): Promise<ProcedureView> =>
  right(h.paraphe.sender.send(actor, sendInput(quoteId)));

/** Opens the link, asks for a code and types it: the procedure is `verified`; returns the token. */
export const verify = async (h: Harness, procedureId: string): Promise<string> => {
  const token = h.tokenFor(procedureId);
  await right(h.paraphe.signer.open(token));
  await right(h.paraphe.signer.requestCode(token));
  await right(h.paraphe.signer.verifyCode(token, h.lastCode(procedureId)));
  return token;
};

/** Sends the quote and lets the signer go all the way; returns the procedure id and token. */
export const signQuote = async (h: Harness, quoteId: string) => {
  const sent = await send(h, quoteId);
  const token = await verify(h, sent.id);
  await right(h.paraphe.signer.sign(token, true));
  return { id: sent.id, token };
};

/** A well-formed token that belongs to nobody. */
export const UNKNOWN_TOKEN = 'A'.repeat(43);
