import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageIdFor } from './smtp-mailer.js';

/** The inverse of the local part's escaping: proves two ids never share a Message-ID. */
const decodeLocalPart = (messageId: string): string =>
  messageId
    .slice(1, messageId.lastIndexOf('@'))
    .replace(/%u([0-9A-F]{4})|%([0-9A-F]{2})/g, (_, wide: string | undefined, narrow: string | undefined) =>
      String.fromCharCode(Number.parseInt(wide ?? narrow ?? '', 16)),
    );

describe('messageIdFor', () => {
  it('keeps the characters a Message-ID can hold and escapes the others as before', () => {
    expect(messageIdFor('sp_0f1e.invitation', 'paraphe.example')).toBe(
      '<sp_0f1e.invitation@paraphe.example>',
    );
    expect(messageIdFor('m@1 é%', 'paraphe.example')).toBe('<m%401%20%E9%25@paraphe.example>');
  });

  it('pinned: U+0100 and U+0010 followed by 0 get different Message-IDs', () => {
    expect(messageIdFor('\u0100', 'd.example')).toBe('<%u0100@d.example>');
    expect(messageIdFor('\u00100', 'd.example')).toBe('<%100@d.example>');
  });

  it('can be read back to the id, whatever its UTF-16 code units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (id) => {
        expect(decodeLocalPart(messageIdFor(id, 'paraphe.example'))).toBe(id);
      }),
    );
  });
});
