import type * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { isSupportedCountry } from 'libphonenumber-js/max';
import type { DomainError } from '../errors.js';
import { decodeWith, IntBetween, refinedType, Text, TextUpTo } from '../shared/decode.js';
import type { TenantSettings } from './tenant-settings.js';

const isValidTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const TimeZone = refinedType('TimeZone', (u): u is string => typeof u === 'string' && isValidTimeZone(u));
/** A region libphonenumber can parse numbers for: `ZZ` or `XX` would make every contact's mobile invalid. */
const Region = refinedType('Region', (u): u is string => typeof u === 'string' && isSupportedCountry(u));

export const SmsCodePolicyCodec = t.type({
  digits: IntBetween(6, 8),
  validitySeconds: IntBetween(60, 30 * 60),
  maxWrongAttemptsPerCode: IntBetween(1, 5),
  resendCooldownSeconds: IntBetween(10, 600),
  maxCodesPerProcedure: IntBetween(1, 10),
});

export const TenantSettingsCodec = t.type({
  tenantName: Text(200),
  esignatureActive: t.boolean,
  procedureLifetimeDays: IntBetween(1, 365),
  smsCode: SmsCodePolicyCodec,
  defaultPhoneRegion: Region,
  language: t.union([t.literal('fr'), t.literal('en')]),
  timeZone: TimeZone,
  followUp: t.type({
    enabled: t.boolean,
    title: TextUpTo(200),
    assignee: t.union([
      t.type({ kind: t.literal('sender') }),
      t.type({ kind: t.literal('user'), userId: Text(200) }),
    ]),
    dueInDays: IntBetween(0, 365),
  }),
  reminders: t.type({
    enabled: t.boolean,
    intervalDays: t.union([t.literal(1), t.literal(2), t.literal(7), t.literal(14)]),
    maxCount: IntBetween(1, 10),
  }),
});

/** Decodes settings read from outside (an admin's input, a stored row); a failure is `INVALID_INPUT`. */
export const decodeTenantSettings: (input: unknown) => E.Either<DomainError, TenantSettings> =
  decodeWith(TenantSettingsCodec);
