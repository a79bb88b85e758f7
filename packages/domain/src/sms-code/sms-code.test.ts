import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSmsCodePolicy as policy } from '../tenant-settings/tenant-settings.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { at, minutes, seconds, T0 } from '../test-support/fixtures.js';
import {
  checkCanIssue,
  checkCode,
  codeFromRandom,
  hashCode,
  issueCode,
  noCodes,
  type SmsCodeState,
  totalWrongAttempts,
} from './sms-code.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const good = hashCode('key', 'p1', '123456');
const bad = hashCode('key', 'p1', '654321');

describe('codeFromRandom', () => {
  it('reads four bytes big-endian and keeps the last N digits, zero-padded', () => {
    expect(codeFromRandom(bytes(0, 0, 0, 42), 6)).toBe('000042');
    expect(codeFromRandom(bytes(0x00, 0x0f, 0x42, 0x3f), 6)).toBe('999999');
    expect(codeFromRandom(bytes(0xff, 0xff, 0xff, 0x00, 0, 0, 0, 7), 8)).toBe('00000007');
  });

  it('rejects draws above the largest multiple of 10^N and moves on to the next four bytes', () => {
    // 2^32 - 1 is above the limit 4_294_000_000 for six digits.
    expect(codeFromRandom(bytes(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 5), 6)).toBe('000005');
  });

  it('returns undefined only when the bytes run out', () => {
    expect(codeFromRandom(bytes(), 6)).toBeUndefined();
    expect(codeFromRandom(bytes(1, 2, 3), 6)).toBeUndefined();
    expect(codeFromRandom(bytes(0xff, 0xff, 0xff, 0xff), 6)).toBeUndefined();
    expect(codeFromRandom(bytes(0xff, 0xff, 0xff, 0xff, 1), 6)).toBeUndefined();
  });

  it('always yields exactly N digits, or undefined only when every 4-byte word was rejected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 6, max: 8 }), (random, digits) => {
        const code = codeFromRandom(random, digits);
        const limit = 2 ** 32 - (2 ** 32 % 10 ** digits);
        const words = [];
        for (let i = 0; i + 4 <= random.length; i += 4) {
          words.push(new DataView(random.buffer, random.byteOffset + i, 4).getUint32(0));
        }
        if (code === undefined) expect(words.every((w) => w >= limit)).toBe(true);
        else {
          expect(code).toMatch(new RegExp(`^[0-9]{${digits}}$`));
          const first = words.find((w) => w < limit);
          expect(Number(code)).toBe((first ?? -1) % 10 ** digits);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('spreads codes evenly over the digits', () => {
    // Deterministic pseudo-random bytes: a xorshift generator, so the test never flakes.
    let state = 0x9e3779b9;
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const counts = new Array<number>(10).fill(0);
    const firstDigitCounts = new Array<number>(10).fill(0);
    const draws = 20_000;
    for (let n = 0; n < draws; n++) {
      const word = next();
      const code = codeFromRandom(
        bytes(word >>> 24, (word >>> 16) & 255, (word >>> 8) & 255, word & 255, 0, 0, 0, 1),
        6,
      );
      for (const digit of code ?? '') counts[Number(digit)]! += 1;
      firstDigitCounts[Number(code?.[0])]! += 1;
    }
    for (const count of counts) expect(Math.abs(count / (draws * 6) - 0.1)).toBeLessThan(0.01);
    for (const count of firstDigitCounts) expect(Math.abs(count / draws - 0.1)).toBeLessThan(0.015);
  });
});

describe('hashCode', () => {
  it('is a keyed hash bound to the procedure, never the code itself', () => {
    const hash = hashCode('key', 'p1', '123456');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('123456');
    expect(hashCode('key', 'p1', '123456')).toBe(hash);
    expect(hashCode('other-key', 'p1', '123456')).not.toBe(hash);
    expect(hashCode('key', 'p2', '123456')).not.toBe(hash);
    expect(hashCode('key', 'p1', '123457')).not.toBe(hash);
    expect(hashCode(new Uint8Array([1, 2, 3]), 'p1', '123456')).not.toBe(hash);
  });
});

describe('issuing codes', () => {
  it('issues a first code valid five minutes', () => {
    assertRight(checkCanIssue(noCodes, policy, T0));
    const state = issueCode(noCodes, good, policy, T0);
    expect(state.codes).toEqual([
      { hash: good, issuedAt: T0, expiresAt: at(T0, minutes(5)), wrongAttempts: 0, status: 'active' },
    ]);
  });

  it('waits 30 s between codes and says how long is left, rounded up', () => {
    const state = issueCode(noCodes, good, policy, T0);
    const error = assertLeft(checkCanIssue(state, policy, at(T0, seconds(12.5))));
    expect(error.code).toBe('CODE_COOLDOWN');
    expect(error.details).toEqual({ retryAfterSeconds: 18 });
    expect(error.message).toEqual({
      fr: 'Veuillez patienter 18 s avant de demander un nouveau code',
      en: 'Please wait 18 s before asking for a new code',
    });
    expect(assertLeft(checkCanIssue(state, policy, at(T0, seconds(29.999)))).details).toEqual({
      retryAfterSeconds: 1,
    });
    assertRight(checkCanIssue(state, policy, at(T0, seconds(30))));
  });

  it('supersedes the previous code', () => {
    const state = issueCode(issueCode(noCodes, bad, policy, T0), good, policy, at(T0, seconds(30)));
    expect(state.codes.map((c) => c.status)).toEqual(['superseded', 'active']);
    expect(assertRight(checkCode(state, bad, policy, at(T0, seconds(31)))).outcome).toBe('rejected');
    expect(assertRight(checkCode(state, good, policy, at(T0, seconds(31)))).outcome).toBe('verified');
  });

  it('stops at five codes per procedure', () => {
    let state: SmsCodeState = noCodes;
    for (let n = 0; n < 5; n++) state = issueCode(state, good, policy, at(T0, seconds(30 * n)));
    const error = assertLeft(checkCanIssue(state, policy, at(T0, minutes(60))));
    expect(error.code).toBe('CODE_LIMIT_REACHED');
    expect(error.message).toEqual({
      fr: 'Le nombre maximal de codes pour ce signataire est atteint',
      en: 'The maximum number of codes for this signer has been reached',
    });
  });
});

describe('checkCode', () => {
  const issued = issueCode(noCodes, good, policy, T0);

  it('verifies the right code once, and the code is then used', () => {
    const result = assertRight(checkCode(issued, good, policy, at(T0, minutes(1))));
    expect(result.outcome).toBe('verified');
    expect(result.state.verifiedAt).toEqual(at(T0, minutes(1)));
    expect(result.state.codes[0]?.status).toBe('used');
    const again = assertLeft(checkCode(result.state, good, policy, at(T0, minutes(2))));
    expect(again.code).toBe('NO_ACTIVE_CODE');
    expect(again.message).toEqual({
      fr: 'Aucun code valide : demandez un nouveau code',
      en: 'No valid code: ask for a new code',
    });
  });

  it('counts wrong codes with the attempts left, and kills the code at the third', () => {
    const first = assertRight(checkCode(issued, bad, policy, at(T0, seconds(10))));
    expect(first).toMatchObject({ outcome: 'rejected', attemptsLeft: 2 });
    const second = assertRight(checkCode(first.state, bad, policy, at(T0, seconds(11))));
    expect(second).toMatchObject({ outcome: 'rejected', attemptsLeft: 1 });
    const third = assertRight(checkCode(second.state, bad, policy, at(T0, seconds(12))));
    expect(third).toMatchObject({ outcome: 'rejected', attemptsLeft: 0 });
    expect(third.state.codes[0]).toMatchObject({ status: 'dead', wrongAttempts: 3 });
    expect(totalWrongAttempts(third.state)).toBe(3);
    expect(assertLeft(checkCode(third.state, good, policy, at(T0, seconds(13)))).code).toBe('NO_ACTIVE_CODE');
  });

  it('refuses even the right code after five minutes', () => {
    const error = assertLeft(checkCode(issued, good, policy, at(T0, minutes(5))));
    expect(error.code).toBe('CODE_EXPIRED');
    expect(error.message).toEqual({
      fr: 'Le code a expiré : demandez un nouveau code',
      en: 'The code has expired: ask for a new code',
    });
    assertRight(checkCode(issued, good, policy, at(T0, minutes(5) - 1)));
  });

  it('has no active code before one was issued', () => {
    expect(assertLeft(checkCode(noCodes, good, policy, T0)).code).toBe('NO_ACTIVE_CODE');
  });

  it('follows a tenant policy with other limits', () => {
    const strict = { ...policy, maxWrongAttemptsPerCode: 1, validitySeconds: 60 };
    const state = issueCode(noCodes, good, strict, T0);
    expect(state.codes[0]?.expiresAt).toEqual(at(T0, seconds(60)));
    const once = assertRight(checkCode(state, bad, strict, at(T0, seconds(1))));
    expect(once).toMatchObject({ outcome: 'rejected', attemptsLeft: 0 });
  });
});
