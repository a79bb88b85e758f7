import { type ParsedMail, simpleParser } from 'mailparser';

/** What the loopback SMTP server holds: raw messages in arrival order. */
export interface RawMailbox {
  readonly received: ReadonlyArray<Buffer>;
}

const recipients = (mail: ParsedMail): ReadonlyArray<string> =>
  (Array.isArray(mail.to) ? mail.to : mail.to === undefined ? [] : [mail.to]).flatMap((to) =>
    to.value.map((a) => a.address ?? ''),
  );

/** Every message the server received for `address`, parsed as a mail client would. */
export const mailsTo = async (box: RawMailbox, address: string): Promise<ReadonlyArray<ParsedMail>> => {
  const parsed = await Promise.all(box.received.map((raw) => simpleParser(raw)));
  return parsed.filter((mail) => recipients(mail).includes(address));
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The signing link as the signer would click it, read from the text body; the HTML must offer the same one. */
export const signingLinkIn = (mail: ParsedMail, signingBaseUrl: string): { link: string; token: string } => {
  const pattern = new RegExp(`${escapeRegExp(signingBaseUrl)}([A-Za-z0-9_-]+)`);
  const inText = pattern.exec(mail.text ?? '');
  const inHtml = typeof mail.html === 'string' ? pattern.exec(mail.html) : null;
  if (inText === null || inText[1] === undefined) throw new Error(`no signing link in "${mail.subject}"`);
  if (inHtml?.[0] !== inText[0]) throw new Error('the HTML body does not link where the text body does');
  return { link: inText[0], token: inText[1] };
};
