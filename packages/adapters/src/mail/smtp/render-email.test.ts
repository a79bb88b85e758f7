import { type EmailAddress, type EmailKind, languages, type OutgoingEmail } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { renderEmail } from './render-email.js';
import { messageIdFor } from './smtp-mailer.js';

const kinds: ReadonlyArray<EmailKind> = [
  'invitation',
  'reminder',
  'signed-notification',
  'declined-notification',
  'expired-notification',
];

const email = (over: Partial<OutgoingEmail>): OutgoingEmail => ({
  id: 'e-1',
  tenantId: 't',
  procedureId: 'p',
  kind: 'invitation',
  language: 'fr',
  to: 'a@b.example' as EmailAddress,
  subject: 's',
  text: 'plain body https://sign.example/s/x',
  ...over,
});

const values = {
  quoteNumber: 'Q-7',
  senderName: 'Paul',
  signerName: 'Claire',
  signingLink: 'https://sign.example/s/abc',
  deadline: '1 July 2025',
  message: 'Hello Claire,\nsign <here>: https://sign.example/s/abc',
  reason: 'Price <too> high',
  quoteLink: 'https://crm.example/quotes/7',
};

describe('renderEmail', () => {
  it("puts the sender's own message first in an invitation, escaped, with its line breaks", () => {
    const out = renderEmail(email({ kind: 'invitation', language: 'en', template: values }));
    expect(
      out.text.startsWith('Quote Q-7 to sign\n\nHello Claire,\nsign <here>: https://sign.example/s/abc'),
    ).toBe(true);
    expect(out.html).toContain('Hello Claire,<br>sign &lt;here&gt;: https://sign.example/s/abc');
  });

  it.each(languages.flatMap((language) => kinds.map((kind) => [language, kind] as const)))(
    'renders %s %s with every placeholder filled',
    (language, kind) => {
      const out = renderEmail(email({ language, kind, template: values }));
      expect(out.html).toBeDefined();
      expect(out.text).toContain('Q-7');
      expect(`${out.text}${out.html}`).not.toMatch(/\{\w+\}/);
      expect(out.html).toContain(`lang="${language}"`);
    },
  );

  it('escapes every value in the HTML body and leaves the text body readable', () => {
    const out = renderEmail(email({ kind: 'declined-notification', template: values }));
    expect(out.html).toContain('Price &lt;too&gt; high');
    expect(out.html).not.toContain('<too>');
    expect(out.text).toContain('Price <too> high');
  });

  it('leaves out a paragraph whose value is absent (a decline without a reason)', () => {
    const { reason: _, ...noReason } = values;
    const out = renderEmail(email({ kind: 'declined-notification', language: 'en', template: noReason }));
    expect(out.text).not.toContain('Reason given');
    expect(out.text).toContain('Claire declined to sign quote Q-7.');
  });

  it('sends email.text as is when no template values are given', () => {
    expect(renderEmail(email({}))).toEqual({ text: 'plain body https://sign.example/s/x' });
    expect(renderEmail(email({ template: {} }))).toEqual({ text: 'plain body https://sign.example/s/x' });
  });

  it('falls back to email.text when the signing link is missing or not a web link', () => {
    const { signingLink: _, ...noLink } = values;
    expect(renderEmail(email({ template: noLink })).html).toBeUndefined();
    const hostile = { ...values, signingLink: 'javascript:alert(1)' };
    expect(renderEmail(email({ template: hostile }))).toEqual({
      text: 'plain body https://sign.example/s/x',
    });
  });

  it('escapes quotes inside the link so it cannot break out of the href attribute', () => {
    const out = renderEmail(
      email({ template: { ...values, signingLink: 'https://sign.example/s/a"onmouseover="x' } }),
    );
    expect(out.html).not.toContain('"onmouseover="');
  });
});

describe('messageIdFor', () => {
  it('is stable and keeps distinct ids distinct', () => {
    expect(messageIdFor('abc-1', 'paraphe.example')).toBe('<abc-1@paraphe.example>');
    expect(messageIdFor('a b<c>', 'paraphe.example')).toBe('<a%20b%3Cc%3E@paraphe.example>');
    expect(messageIdFor('a b', 'd')).not.toBe(messageIdFor('a%20b', 'd'));
  });
});
