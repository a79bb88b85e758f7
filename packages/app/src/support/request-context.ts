import { isIP } from 'node:net';
import { type DomainError, domainError, MAX_USER_AGENT_LENGTH, type RequestContext } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

const invalid = (fields: string): E.Either<DomainError, never> =>
  E.left(domainError('INVALID_INPUT', { fields }));

/**
 * Where a signer's request came from, as the CRM's page passes it: absent, or an object with an `ip` that is one
 * IPv4 or IPv6 address (not a forwarded-for list) and a `userAgent` string, cut to `MAX_USER_AGENT_LENGTH`.
 * Anything else is `INVALID_INPUT` naming the field: the timeline is evidence and stores only what it can explain.
 */
export const decodeRequestContext = (u: unknown): E.Either<DomainError, RequestContext | undefined> => {
  if (u === undefined || u === null) return E.right(undefined);
  if (!isRecord(u)) return invalid('context');
  const unknown = Object.keys(u).filter((key) => key !== 'ip' && key !== 'userAgent');
  if (unknown.length > 0) return invalid(unknown.map((key) => `context.${key}`).join(', '));
  const { ip, userAgent } = u;
  if (ip !== undefined && (typeof ip !== 'string' || isIP(ip) === 0)) return invalid('context.ip');
  if (userAgent !== undefined && typeof userAgent !== 'string') return invalid('context.userAgent');
  return E.right({
    ...(ip === undefined ? {} : { ip }),
    ...(userAgent === undefined || userAgent === ''
      ? {}
      : { userAgent: userAgent.slice(0, MAX_USER_AGENT_LENGTH) }),
  });
};
