import { deliveryError } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { classifyHttpStatus, classifyNetworkError } from './classify.js';
import { parseRetryAfter } from './delivery-failure.js';

const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });

describe('classifyNetworkError', () => {
  it.each([
    [new DOMException('aborted', 'AbortError'), deliveryError(true, 'TIMEOUT')],
    [new DOMException('timed out', 'TimeoutError'), deliveryError(true, 'TIMEOUT')],
    [fetchFailed('ECONNREFUSED'), deliveryError(true, 'CONNECTION_REFUSED', 'ECONNREFUSED')],
    [fetchFailed('UND_ERR_SOCKET'), deliveryError(true, 'CONNECTION_RESET', 'UND_ERR_SOCKET')],
    [fetchFailed('ENOTFOUND'), deliveryError(true, 'DNS_FAILURE', 'ENOTFOUND')],
    [fetchFailed('ERR_INVALID_URL'), deliveryError(false, 'INVALID_URL')],
    [new Error('weird'), deliveryError(true, 'NETWORK_ERROR')],
  ])('%s', (error, expected) => {
    expect(classifyNetworkError(error)).toEqual(expected);
  });
});

describe('classifyHttpStatus', () => {
  it('separates success, retryable and permanent statuses', () => {
    expect(classifyHttpStatus(201)).toBeUndefined();
    expect(classifyHttpStatus(429, 3000)).toEqual({
      ...deliveryError(true, 'RATE_LIMITED'),
      retryAfterMs: 3000,
    });
    expect(classifyHttpStatus(503)).toEqual(deliveryError(true, 'HTTP_503'));
    expect(classifyHttpStatus(408)).toEqual(deliveryError(true, 'TIMEOUT'));
    expect(classifyHttpStatus(404)).toEqual(deliveryError(false, 'HTTP_404'));
    expect(classifyHttpStatus(302)).toEqual(deliveryError(false, 'HTTP_302'));
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-06-01T10:00:00Z');
  it('reads seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
