import type { CodeVerification, DomainError } from '@paraphe/domain';
import type { Flash } from './pages/flash-messages.js';

/**
 * What the page says after a refused action. `undefined` means the page itself tells the story: the link is no longer
 * active, or the procedure moved on (already verified, signed, declined).
 */
export const flashForError = (error: DomainError): Flash | undefined => {
  switch (error.code) {
    case 'CODE_COOLDOWN': {
      const seconds = error.details?.retryAfterSeconds;
      return { kind: 'cooldown', n: typeof seconds === 'number' ? seconds : 30 };
    }
    case 'CODE_LIMIT_REACHED':
      return { kind: 'code-limit' };
    case 'DELIVERY_FAILURE':
      return { kind: 'sms-failed' };
    case 'NO_ACTIVE_CODE':
      return { kind: 'no-active-code' };
    case 'CODE_EXPIRED':
      return { kind: 'code-expired' };
    case 'CONSENT_REQUIRED':
      return { kind: 'consent-required' };
    case 'CODE_NOT_VERIFIED':
      return { kind: 'not-verified' };
    case 'INVALID_INPUT':
      return { kind: error.details?.fields === 'reason' ? 'reason-too-long' : 'code-format' };
    case 'LINK_INVALID':
    case 'PROCEDURE_EXPIRED':
    case 'PROCEDURE_ENDED':
    case 'TRANSITION_NOT_ALLOWED':
      return undefined;
    default:
      return { kind: 'retry' };
  }
};

export const flashForVerification = (result: CodeVerification): Flash =>
  result.outcome === 'verified'
    ? { kind: 'verified' }
    : result.attemptsLeft > 0
      ? { kind: 'wrong-code', n: result.attemptsLeft }
      : { kind: 'attempts-exhausted' };

/** Spaces a signer may type or paste ("123 456") are dropped; anything else than digits is not a code. */
export const normaliseCode = (typed: unknown): string | undefined => {
  if (typeof typed !== 'string') return undefined;
  const code = typed.replace(/\s+/g, '');
  return /^\d{4,12}$/.test(code) ? code : undefined;
};
