import * as E from 'fp-ts/lib/Either.js';
import { type DomainError, domainError } from '../errors.js';
import { equalDigests, hmacSha256Hex } from '../shared/hash.js';
import type { ProcedureId } from '../shared/types.js';
import type { SmsCodePolicy } from '../tenant-settings/tenant-settings.js';

/** A code as stored: its keyed hash only, never the digits. */
export interface IssuedCode {
  readonly hash: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly wrongAttempts: number;
  /** `used` once verified; `dead` after too many wrong attempts; `superseded` by a newer code. */
  readonly status: 'active' | 'used' | 'dead' | 'superseded';
}

export interface SmsCodeState {
  readonly codes: ReadonlyArray<IssuedCode>;
  readonly verifiedAt?: Date;
}

export const noCodes: SmsCodeState = { codes: [] };

/** Draws the digits from random bytes by rejection sampling, so every code is equally likely. */
export const codeFromRandom = (bytes: Uint8Array, digits: number): string | undefined => {
  const modulus = 10 ** digits;
  const span = 2 ** 32;
  const limit = span - (span % modulus);
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const value = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    if (value < limit) return String(value % modulus).padStart(digits, '0');
  }
  return undefined;
};

/**
 * Only this keyed hash of a code is kept: a stolen database does not reveal codes, and codes are bound to one
 * procedure and one signer (`codeSubject`).
 */
export const hashCode = (key: Uint8Array | string, subject: ProcedureId | string, code: string): string =>
  hmacSha256Hex(key, `${subject}:${code}`);

const lastCode = (state: SmsCodeState): IssuedCode | undefined => state.codes[state.codes.length - 1];

/** A new code may be sent after the cooldown, and only up to the per-procedure limit. */
export const checkCanIssue = (
  state: SmsCodeState,
  policy: SmsCodePolicy,
  now: Date,
): E.Either<DomainError, void> => {
  if (state.codes.length >= policy.maxCodesPerProcedure) return E.left(domainError('CODE_LIMIT_REACHED'));
  const last = lastCode(state);
  if (last !== undefined) {
    const waitMs = last.issuedAt.getTime() + policy.resendCooldownSeconds * 1000 - now.getTime();
    if (waitMs > 0)
      return E.left(domainError('CODE_COOLDOWN', { retryAfterSeconds: Math.ceil(waitMs / 1000) }));
  }
  return E.right(undefined);
};

/** Issuing a code supersedes the previous one. */
export const issueCode = (
  state: SmsCodeState,
  hash: string,
  policy: SmsCodePolicy,
  now: Date,
): SmsCodeState => ({
  ...state,
  codes: [
    ...state.codes.map((code) =>
      code.status === 'active' ? { ...code, status: 'superseded' as const } : code,
    ),
    {
      hash,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + policy.validitySeconds * 1000),
      wrongAttempts: 0,
      status: 'active',
    },
  ],
});

export type CodeCheck =
  | { readonly outcome: 'verified'; readonly state: SmsCodeState }
  | { readonly outcome: 'rejected'; readonly state: SmsCodeState; readonly attemptsLeft: number };

/** Checks a candidate against the active code: single use, valid until it expires, dead after too many wrong attempts. */
export const checkCode = (
  state: SmsCodeState,
  candidateHash: string,
  policy: SmsCodePolicy,
  now: Date,
): E.Either<DomainError, CodeCheck> => {
  const last = lastCode(state);
  if (last === undefined || last.status !== 'active') return E.left(domainError('NO_ACTIVE_CODE'));
  if (now.getTime() >= last.expiresAt.getTime()) return E.left(domainError('CODE_EXPIRED'));
  const others = state.codes.slice(0, -1);
  if (equalDigests(last.hash, candidateHash)) {
    return E.right({
      outcome: 'verified',
      state: { codes: [...others, { ...last, status: 'used' }], verifiedAt: now },
    });
  }
  const wrongAttempts = last.wrongAttempts + 1;
  const attemptsLeft = Math.max(0, policy.maxWrongAttemptsPerCode - wrongAttempts);
  const updated: IssuedCode = { ...last, wrongAttempts, status: attemptsLeft === 0 ? 'dead' : 'active' };
  return E.right({ outcome: 'rejected', state: { ...state, codes: [...others, updated] }, attemptsLeft });
};

export const totalWrongAttempts = (state: SmsCodeState): number =>
  state.codes.reduce((sum, code) => sum + code.wrongAttempts, 0);
