import { type DeliveryError, deliveryError } from '@paraphe/domain';

interface SmtpErrorLike {
  readonly code?: unknown;
  readonly originalCode?: unknown;
  readonly responseCode?: unknown;
  readonly response?: unknown;
}

// "550 5.1.1 <bob@example.org>: mailbox unavailable" → "5.1.1"; the rest may quote addresses.
const enhancedStatus = (response: unknown): string | undefined =>
  typeof response === 'string' ? /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1] : undefined;

const connectionReason = (code: unknown, originalCode: unknown): string => {
  if (originalCode === 'ECONNREFUSED' || code === 'ECONNREFUSED') return 'CONNECTION_REFUSED';
  if (code === 'ETIMEDOUT' || originalCode === 'ETIMEDOUT') return 'TIMEOUT';
  if (code === 'EDNS' || originalCode === 'ENOTFOUND' || originalCode === 'EAI_AGAIN') return 'DNS_FAILURE';
  return 'CONNECTION_FAILED';
};

/**
 * Maps a nodemailer failure to a secret-free `DeliveryError`. RFC 5321: a 5yz reply is a
 * permanent refusal of this message (503 excepted: a session-state problem), a 4yz reply a
 * transient one; not reaching the server at all is transient. Missing credentials, a failed
 * login without a reply code, a TLS failure or an address nodemailer itself refuses are
 * configuration or input faults that retrying would not fix.
 */
export const classifySmtpError = (u: unknown): DeliveryError => {
  const e: SmtpErrorLike = typeof u === 'object' && u !== null ? (u as SmtpErrorLike) : {};
  if (typeof e.responseCode === 'number') {
    const status = enhancedStatus(e.response);
    const detail = status === undefined ? String(e.responseCode) : `${e.responseCode} ${status}`;
    if (e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503) {
      return deliveryError(false, e.responseCode === 535 ? 'SMTP_AUTH_FAILED' : 'SMTP_REJECTED', detail);
    }
    return deliveryError(true, 'SMTP_DEFERRED', detail);
  }
  switch (e.code) {
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS':
    case 'ECONNREFUSED':
      return deliveryError(true, connectionReason(e.code, e.originalCode), String(e.code));
    case 'EAUTH':
    case 'ENOAUTH':
      return deliveryError(false, 'SMTP_AUTH_FAILED', e.code);
    case 'ETLS':
    case 'EREQUIRETLS':
      return deliveryError(false, 'SMTP_TLS_FAILED', e.code);
    case 'EENVELOPE':
      return deliveryError(false, 'INVALID_ADDRESS', e.code);
    default:
      return deliveryError(true, 'SMTP_ERROR', typeof e.code === 'string' ? e.code : undefined);
  }
};
