import { describe, expect, it } from 'vitest';
import { domainError } from '../errors.js';
import {
  isSealingError,
  SEALING_ERROR_CODES,
  sealingError,
  sealingErrorToDomain,
  sealingServiceUnavailable,
} from './sealing-error.js';

describe('SealingError', () => {
  it('becomes the same DomainError as before when it will not pass, and says retryable when it may', () => {
    for (const code of SEALING_ERROR_CODES) {
      expect(sealingErrorToDomain(sealingError(code))).toStrictEqual(domainError(code));
      expect(sealingErrorToDomain(sealingError(code, { reason: 'r' }))).toStrictEqual(
        domainError(code, { reason: 'r' }),
      );
    }
    expect(sealingErrorToDomain(sealingServiceUnavailable('ocsp: timeout'))).toStrictEqual(
      domainError('SEALING_FAILURE', { reason: 'ocsp: timeout', retryable: true }),
    );
  });

  it('recognises only well-formed errors from a sealer written in JavaScript', () => {
    expect(isSealingError(sealingError('DOCUMENT_TOO_LARGE', { size: 3 }))).toBe(true);
    for (const u of [
      undefined,
      null,
      'SEALING_FAILURE',
      domainError('SEALING_FAILURE'),
      { _tag: 'SealingError', code: 'SEALING_FAILURE' },
      { _tag: 'SealingError', code: 'NO_CREDIT_AVAILABLE', retryable: false },
    ])
      expect(isSealingError(u)).toBe(false);
  });
});
