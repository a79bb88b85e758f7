import * as E from 'fp-ts/lib/Either.js';
import { type CountryCode, isSupportedCountry, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { type DomainError, domainError } from '../errors.js';
import type { EmailAddress, MobileNumber } from '../shared/types.js';

// RFC 5321/5322 addr-spec as mail software accepts it: dot-atom local part, a domain of LDH labels with a TLD.
const localPart = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** An email is accepted when it is a dot-atom address on a real-looking domain, at most 254 characters. */
export const parseEmail = (raw: string | undefined): E.Either<DomainError, EmailAddress> => {
  const value = raw?.trim() ?? '';
  if (value === '') return E.left(domainError('CONTACT_EMAIL_MISSING'));
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const valid =
    at > 0 &&
    value.length <= 254 &&
    local.length <= 64 &&
    localPart.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => domainLabel.test(label)) &&
    /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1] ?? '');
  return valid ? E.right(value as EmailAddress) : E.left(domainError('CONTACT_EMAIL_INVALID'));
};

/** A mobile is accepted when libphonenumber reads it as a valid mobile number; it is kept in E.164. */
export const parseMobile = (
  raw: string | undefined,
  defaultRegion: string,
): E.Either<DomainError, MobileNumber> => {
  const value = raw?.trim() ?? '';
  if (value === '') return E.left(domainError('CONTACT_MOBILE_MISSING'));
  const region: CountryCode | undefined = isSupportedCountry(defaultRegion) ? defaultRegion : undefined;
  try {
    const phone = parsePhoneNumberWithError(value, region === undefined ? {} : { defaultCountry: region });
    // With the full ("max") metadata a number is valid exactly when it has a type: `isValid()` would run the
    // same pattern matching a second time.
    const type = phone.getType();
    if (type === undefined) return E.left(domainError('CONTACT_MOBILE_INVALID'));
    // Some numbering plans (US, CA…) cannot tell mobile from fixed lines; those can receive SMS.
    return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE'
      ? E.right(phone.number as MobileNumber)
      : E.left(domainError('CONTACT_MOBILE_NOT_MOBILE'));
  } catch {
    return E.left(domainError('CONTACT_MOBILE_INVALID'));
  }
};

/** Shows only the last two digits of a mobile number, for pages and proofs (`+33 6•• •• •• 78`). */
export const maskMobile = (mobile: MobileNumber): string =>
  `${mobile.slice(0, 4)}${'•'.repeat(Math.max(0, mobile.length - 6))}${mobile.slice(-2)}`;
