import { type DomainError, domainError } from '@paraphe/domain';

const MAX_CAUSE_LENGTH = 300;

/** Names what failed without echoing row values (they may be personal data); library messages are truncated. */
export const storageFailure = (reason: string, cause?: unknown): DomainError =>
  domainError('STORAGE_FAILURE', {
    reason,
    ...(cause === undefined ? {} : { cause: describeCause(cause) }),
  });

const describeCause = (cause: unknown): string => {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.length > MAX_CAUSE_LENGTH ? `${text.slice(0, MAX_CAUSE_LENGTH)}…` : text;
};

/** Turns whatever a unit of work threw into data: a DomainError thrown by mistake is kept as is. */
export const fromThrown =
  (reason: string) =>
  (cause: unknown): DomainError =>
    isThrownDomainError(cause) ? cause : storageFailure(reason, cause);

const isThrownDomainError = (u: unknown): u is DomainError =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'DomainError';
