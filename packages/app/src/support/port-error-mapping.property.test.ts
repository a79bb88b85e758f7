import {
  type CrmError,
  crmError,
  type DeliveryError,
  type DomainError,
  deliveryError,
  errorCodes,
  isCrmError,
  isDomainError,
} from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { asCrmError, checkedCrmCall, crmErrorToDomain, crmFailureToDomain } from './crm-errors.js';
import { checkedNotifierCall, deliveryErrorToDomain, notificationErrorToDomain } from './delivery-errors.js';

const reason = fc.oneof(
  fc.constantFrom(
    'UNREACHABLE',
    'TIMEOUT',
    'HTTP_503',
    'HTTP_404',
    'UNREADABLE_ANSWER',
    'THREW',
    'SMTP_REJECTED',
  ),
  fc.stringMatching(/^[A-Z][A-Z0-9_]{0,30}$/),
);
const detail = fc.option(fc.string({ maxLength: 40 }), { nil: undefined });
const crmErrors: fc.Arbitrary<CrmError> = fc
  .tuple(fc.boolean(), reason, detail)
  .map(([retryable, r, d]) => crmError(retryable, r, d));
const deliveryErrors: fc.Arbitrary<DeliveryError> = fc
  .tuple(fc.boolean(), reason, detail)
  .map(([retryable, r, d]) => deliveryError(retryable, r, d));
const calls = fc.constantFrom('getQuote', 'getUser', 'createFollowUpAction');

/** A DomainError the facade may return: a code of the catalogue, a message in both languages. */
const expectPublic = (error: DomainError): void => {
  expect(isDomainError(error)).toBe(true);
  expect(errorCodes).toContain(error.code);
  expect(error.message.fr.length).toBeGreaterThan(0);
  expect(error.message.en.length).toBeGreaterThan(0);
};

describe('port errors mapped to the facade’s DomainError', () => {
  it('every CrmError maps to CRM_FAILURE or CRM_INVALID_DATA, keeping its reason and retryable', () => {
    fc.assert(
      fc.property(crmErrors, calls, (error, call) => {
        const mapped = crmErrorToDomain(call)(error);
        expectPublic(mapped);
        expect(['CRM_FAILURE', 'CRM_INVALID_DATA']).toContain(mapped.code);
        expect(mapped.code === 'CRM_INVALID_DATA').toBe(error.reason === 'UNREADABLE_ANSWER');
        expect(mapped.details).toMatchObject({ reason: error.reason, retryable: error.retryable });
        expect(Object.values(mapped.details ?? {})).toContain(call);
        // Read back as the port's error, nothing is lost on the way.
        expect(crmFailureToDomain(call)(error)).toStrictEqual(mapped);
      }),
    );
  });

  it('every DeliveryError maps to DELIVERY_FAILURE (mail, SMS) or CRM_FAILURE (notify), keeping reason and retryable', () => {
    fc.assert(
      fc.property(deliveryErrors, (error) => {
        for (const [mapped, code] of [
          [deliveryErrorToDomain(error), 'DELIVERY_FAILURE'],
          [notificationErrorToDomain(error), 'CRM_FAILURE'],
        ] as const) {
          expectPublic(mapped);
          expect(mapped.code).toBe(code);
          expect(mapped.details).toMatchObject({ reason: error.reason, retryable: error.retryable });
        }
      }),
    );
  });

  it('whatever a CRM call answers or throws, the check answers a CrmError or one of our DomainErrors, never throws', async () => {
    const answers = fc.oneof(
      fc.anything().map((u) => ({ kind: 'answers' as const, u })),
      fc.anything().map((u) => ({ kind: 'left' as const, u })),
      crmErrors.map((u) => ({ kind: 'left' as const, u })),
      fc.anything().map((u) => ({ kind: 'throws' as const, u })),
      fc.anything().map((u) => ({ kind: 'rejects' as const, u })),
    );
    await fc.assert(
      fc.asyncProperty(answers, async (answer) => {
        const call = (): TE.TaskEither<unknown, unknown> => {
          if (answer.kind === 'throws') throw answer.u;
          if (answer.kind === 'rejects') return () => Promise.reject(answer.u);
          return answer.kind === 'left' ? TE.left(answer.u) : () => Promise.resolve(answer.u as never);
        };
        const result = await checkedCrmCall(call)();
        if (E.isRight(result)) return;
        const failure = result.left;
        expect(isCrmError(failure) || (isDomainError(failure) && errorCodes.includes(failure.code))).toBe(
          true,
        );
        if (answer.kind === 'throws' || answer.kind === 'rejects')
          expect(failure).toMatchObject({ retryable: true });
        if (answer.kind === 'left' && isCrmError(answer.u)) expect(failure).toStrictEqual(answer.u);
        expect(asCrmError(failure)._tag).toBe('CrmError');
        expectPublic(crmFailureToDomain('getQuote')(failure));
      }),
    );
  });

  it('whatever a notifier answers or throws, the check answers a DeliveryError keeping a given one as it is', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), deliveryErrors), fc.boolean(), async (u, asLeft) => {
        const result = await checkedNotifierCall(() =>
          asLeft ? TE.left(u) : () => Promise.resolve(u as never),
        )();
        if (E.isRight(result)) return;
        expect(result.left._tag).toBe('DeliveryError');
        expect(typeof result.left.retryable).toBe('boolean');
        expect(result.left.reason).toMatch(/^[A-Z][A-Z0-9_]*$/);
        if (asLeft && (u as DeliveryError)?._tag === 'DeliveryError') expect(result.left).toStrictEqual(u);
      }),
    );
  });
});
