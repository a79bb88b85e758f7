import { type DeliveryError, deliveryError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { classifyHttpStatus } from '../../delivery/classify.js';

/** The part of Twilio's Message resource we rely on. */
export const TwilioMessage = t.type({ sid: t.string });

/** Twilio's error body: `{ code, message, more_info, status }`. */
export const TwilioError = t.type({ code: t.number, status: t.number });

// Twilio REST error codes that mean "this recipient will never get this message".
const permanentCodes: Readonly<Record<number, string>> = {
  20003: 'AUTH_FAILED',
  21211: 'INVALID_NUMBER',
  21408: 'REGION_NOT_ALLOWED',
  21610: 'RECIPIENT_UNSUBSCRIBED',
  21612: 'UNREACHABLE_NUMBER',
  21614: 'NOT_A_MOBILE_NUMBER',
  21617: 'MESSAGE_TOO_LONG',
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Reads a Twilio answer: 2xx with a `sid` is success; otherwise a `DeliveryError` classified
 * by status (429 and 5xx retryable) and, for a 4xx, by Twilio's error code. Twilio's
 * `message` is never copied: it may quote the recipient's number or the body.
 */
export const readTwilioResponse = (
  status: number,
  bodyText: string,
  retryAfterMs: number | undefined,
): E.Either<DeliveryError, { readonly providerMessageId: string }> => {
  const body = parseJson(bodyText);
  if (status >= 200 && status < 300) {
    const decoded = TwilioMessage.decode(body);
    // The message was probably accepted: a blind retry could send the code twice.
    return E.isRight(decoded)
      ? E.right({ providerMessageId: decoded.right.sid })
      : E.left(deliveryError(false, 'INVALID_PROVIDER_RESPONSE', `HTTP_${status}`));
  }
  const byStatus = classifyHttpStatus(status, retryAfterMs) ?? deliveryError(false, `HTTP_${status}`);
  const error = TwilioError.decode(body);
  if (E.isLeft(error)) return E.left(byStatus);
  const detail = `twilio ${error.right.code}`;
  const reason = permanentCodes[error.right.code];
  if (byStatus.retryable || reason === undefined) return E.left({ ...byStatus, detail });
  return E.left(deliveryError(false, reason, detail));
};
