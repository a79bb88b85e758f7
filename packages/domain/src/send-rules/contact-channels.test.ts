import fc from 'fast-check';
import { type CountryCode, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import type { MobileNumber } from '../shared/types.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { maskMobile, parseEmail, parseMobile } from './contact-channels.js';

describe('parseMobile', () => {
  it('reads a French national mobile with the FR default region and keeps it in E.164', () => {
    expect(assertRight(parseMobile('06 12 34 56 78', 'FR'))).toBe('+33612345678');
    expect(assertRight(parseMobile('07.81.23.45.67', 'FR'))).toBe('+33781234567');
    expect(assertRight(parseMobile('  +33 6 12 34 56 78  ', 'FR'))).toBe('+33612345678');
  });

  it('refuses a fixed line as not a mobile', () => {
    const error = assertLeft(parseMobile('01 23 45 67 89', 'FR'));
    expect(error.code).toBe('CONTACT_MOBILE_NOT_MOBILE');
    expect(error.message).toEqual({
      fr: "Le numéro du contact n'est pas un numéro de mobile",
      en: "The contact's number is not a mobile number",
    });
    expect(assertLeft(parseMobile('0800 123 456', 'FR')).code).toBe('CONTACT_MOBILE_NOT_MOBILE');
  });

  it.each(['abc', '12', '06 12 34 56 7', '+', '++33612345678x!'])('refuses garbage %j as invalid', (raw) => {
    const error = assertLeft(parseMobile(raw, 'FR'));
    expect(error.code).toBe('CONTACT_MOBILE_INVALID');
    expect(error.message).toEqual({
      fr: "Le numéro de mobile du contact n'est pas valide",
      en: "The contact's mobile number is not valid",
    });
  });

  it.each([undefined, '', '   '])('reports %j as missing', (raw) => {
    const error = assertLeft(parseMobile(raw, 'FR'));
    expect(error.code).toBe('CONTACT_MOBILE_MISSING');
    expect(error.message).toEqual({
      fr: "Le contact n'a pas de mobile renseigné",
      en: 'The contact has no mobile number',
    });
  });

  it("reads national numbers with the tenant's region", () => {
    expect(assertRight(parseMobile('0470 12 34 56', 'BE'))).toBe('+32470123456');
    expect(assertRight(parseMobile('07400 123456', 'GB'))).toBe('+447400123456');
    // A French national number means nothing in Belgium.
    expect(assertLeft(parseMobile('06 12 34 56 78', 'BE')).code).toBe('CONTACT_MOBILE_INVALID');
  });

  it('reads international numbers whatever the region', () => {
    expect(assertRight(parseMobile('+33 6 12 34 56 78', 'GB'))).toBe('+33612345678');
    expect(assertRight(parseMobile('+33612345678', 'ZZ'))).toBe('+33612345678');
  });

  it('accepts numbering plans that cannot tell mobile from fixed line', () => {
    expect(assertRight(parseMobile('(201) 555-0123', 'US'))).toBe('+12015550123');
  });

  it('refuses a national number when the region is unknown', () => {
    expect(assertLeft(parseMobile('06 12 34 56 78', 'ZZ')).code).toBe('CONTACT_MOBILE_INVALID');
  });

  it('masks all but the last two digits', () => {
    expect(maskMobile('+33612345678' as MobileNumber)).toBe('+336••••••78');
  });
});

describe('parseEmail', () => {
  it.each([
    'camille.martin@example.fr',
    'c+quotes@sub.example.co.uk',
    "o'brien@example.ie",
    '  spaced@example.com  ',
    'a@b.io',
  ])('accepts %j', (raw) => {
    expect(assertRight(parseEmail(raw))).toBe(raw.trim());
  });

  it.each([
    'plain',
    '@example.com',
    'camille@',
    'camille@localhost',
    'camille@example.',
    'camille@@example.com',
    'camille..martin@example.com',
    '.camille@example.com',
    'camille martin@example.com',
    'camille@exa mple.com',
    'camille@-example.com',
    'camille@example.c0m',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
  ])('refuses %j as invalid', (raw) => {
    const error = assertLeft(parseEmail(raw));
    expect(error.code).toBe('CONTACT_EMAIL_INVALID');
    expect(error.message).toEqual({
      fr: "L'email du contact n'est pas valide",
      en: "The contact's email address is not valid",
    });
  });

  it.each([undefined, '', '  '])('reports %j as missing', (raw) => {
    const error = assertLeft(parseEmail(raw));
    expect(error.code).toBe('CONTACT_EMAIL_MISSING');
    expect(error.message).toEqual({
      fr: "Le contact n'a pas d'email renseigné",
      en: 'The contact has no email address',
    });
  });
});

describe('mobile validity without isValid()', () => {
  // parseMobile relies on this: with the "max" metadata, a number is valid exactly when it has a type.
  it('agrees with isValid() for any digits in any of the regions we default to', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CountryCode>('FR', 'BE', 'CH', 'DE', 'GB', 'US', 'CA', 'ES', 'IT', 'MA'),
        fc.boolean(),
        fc.stringMatching(/^[0-9]{4,15}$/),
        (region, international, digits) => {
          try {
            const phone = parsePhoneNumberWithError(`${international ? '+' : ''}${digits}`, {
              defaultCountry: region,
            });
            expect(phone.getType() !== undefined).toBe(phone.isValid());
          } catch {
            // Not a phone number at all: parseMobile says CONTACT_MOBILE_INVALID before either is asked.
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
