import type { LifecycleNotification } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { WebhookEvent, webhookBody } from './webhook-payload.js';

const notification: LifecycleNotification = {
  id: 'sp_1.event-3',
  tenantId: 'acme',
  procedureId: 'sp_1',
  quoteId: 'q1',
  type: 'cancelled',
  status: 'cancelled',
  at: new Date('2026-03-02T10:00:00Z'),
};

const body = (n: LifecycleNotification) => {
  const encoded = webhookBody(n);
  if (E.isLeft(encoded)) throw new Error(encoded.left);
  return JSON.parse(encoded.right) as unknown;
};

describe('the webhook body', () => {
  it('carries the reason of a cancel or a decline, and decodes with the published codec', () => {
    const withReason = body({ ...notification, reason: 'Mauvais montant' });
    expect(withReason).toMatchObject({
      status: 'cancelled',
      reason: 'Mauvais montant',
      at: '2026-03-02T10:00:00.000Z',
    });
    expect(E.isRight(WebhookEvent.decode(withReason))).toBe(true);
  });

  it('has no reason key when the change has none', () => {
    const plain = body(notification);
    expect(plain).not.toHaveProperty('reason');
    expect(E.isRight(WebhookEvent.decode(plain))).toBe(true);
  });

  it('refuses an invalid date rather than throwing', () => {
    expect(webhookBody({ ...notification, at: new Date(Number.NaN) })).toEqual(
      E.left('INVALID_NOTIFICATION'),
    );
  });
});
