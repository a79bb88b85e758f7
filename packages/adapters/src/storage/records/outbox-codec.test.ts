import type { OutboxMessage } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { storableEnqueue } from './outbox-codec.js';

const invitation = (signerPosition: unknown): OutboxMessage =>
  ({
    kind: 'email',
    id: 'sp_1.invitation-2',
    email: {
      id: 'sp_1.invitation-2',
      tenantId: 't-1',
      procedureId: 'sp_1',
      kind: 'invitation',
      language: 'fr',
      to: 'a@example.fr',
      subject: 'Devis',
      text: 'Signez : {{signing_link}}',
      signerPosition,
    },
  }) as unknown as OutboxMessage;

describe('an invitation to one of several signers, as stored', () => {
  const now = new Date('2026-12-06T10:00:00Z');

  it("keeps the signer's position, a count", () => {
    expect(E.isRight(storableEnqueue([invitation(1)], now))).toBe(true);
    expect(E.isRight(storableEnqueue([invitation(9)], now))).toBe(true);
  });

  it('refuses a position that is not one, so no delivery would put in the wrong link', () => {
    for (const position of [-1, 1.5, '1', null, Number.NaN])
      expect(storableEnqueue([invitation(position)], now)).toMatchObject({
        _tag: 'Left',
        left: { _tag: 'StorageUnreadable' },
      });
  });
});
