import { type DeliveryError, deliveryError } from '@paraphe/domain';
import { pacedDeliveryError } from './delivery-failure.js';

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
}

const asErrorLike = (u: unknown): ErrorLike | undefined =>
  typeof u === 'object' && u !== null ? (u as ErrorLike) : undefined;

/** The errno-style code of an error or of one of its causes (fetch nests it: `TypeError.cause.code`). */
export const errorCodeOf = (u: unknown, depth = 0): string | undefined => {
  const e = asErrorLike(u);
  if (e === undefined || depth > 4) return undefined;
  if (typeof e.code === 'string') return e.code;
  return errorCodeOf(e.cause, depth + 1);
};

const isAbort = (u: unknown): boolean => {
  const name = asErrorLike(u)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
};

const networkReasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  ETIMEDOUT: 'TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
  UND_ERR_SOCKET: 'CONNECTION_RESET',
  ENOTFOUND: 'DNS_FAILURE',
  EAI_AGAIN: 'DNS_FAILURE',
  EHOSTUNREACH: 'HOST_UNREACHABLE',
  ENETUNREACH: 'HOST_UNREACHABLE',
};

/**
 * Any failure to talk to a provider at all (no HTTP status received) is worth retrying:
 * the message was not accepted. A malformed URL (configuration) is not. Only the error
 * code is kept; messages may quote URLs.
 */
export const classifyNetworkError = (u: unknown): DeliveryError => {
  if (isAbort(u) || isAbort(asErrorLike(u)?.cause)) return deliveryError(true, 'TIMEOUT');
  const code = errorCodeOf(u);
  if (code === 'ERR_INVALID_URL') return deliveryError(false, 'INVALID_URL');
  const reason = code === undefined ? undefined : networkReasons[code];
  return deliveryError(true, reason ?? 'NETWORK_ERROR', code);
};

/**
 * What an HTTP status means for a delivery: `undefined` for success; 408, 429 and 5xx
 * are retryable; redirects (never followed, see callers) and other 4xx are permanent.
 */
export const classifyHttpStatus = (status: number, retryAfterMs?: number): DeliveryError | undefined => {
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) return pacedDeliveryError('RATE_LIMITED', retryAfterMs);
  if (status === 408) return pacedDeliveryError('TIMEOUT', retryAfterMs);
  if (status >= 500) return pacedDeliveryError(`HTTP_${status}`, retryAfterMs);
  return deliveryError(false, `HTTP_${status}`);
};
