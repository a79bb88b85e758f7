import type { EmailAddress, OutboxMessage } from '@paraphe/domain';
import { at, days, T0 } from './procedure-fixtures.js';

export const emailMessage = (id: string, withOptional = false): OutboxMessage => ({
  kind: 'email',
  id,
  email: {
    id: `mail-${id}`,
    tenantId: 'tenant-a',
    procedureId: 'p-1',
    kind: 'invitation',
    language: 'fr',
    to: 'ada@example.com' as EmailAddress,
    subject: 'Votre offre à signer',
    text: 'Signez ici : https://sign.example/abc',
    ...(withOptional
      ? {
          toName: 'Ada Lovelace',
          replyTo: 'sales@example.com' as EmailAddress,
          template: { link: 'https://sign.example/abc', quoteNumber: 'Q-1' },
        }
      : {}),
  },
});

export const followUpMessage = (id: string): OutboxMessage => ({
  kind: 'follow-up',
  id,
  action: {
    id: `fu-${id}`,
    tenantId: 'tenant-a',
    quoteId: 'quote-1',
    procedureId: 'p-1',
    assigneeId: 'user-1',
    title: 'Vérifier la signature',
    dueAt: at(T0, days(2)),
  },
});

export const notificationMessage = (id: string): OutboxMessage => ({
  kind: 'notification',
  id,
  notification: {
    id: `n-${id}`,
    tenantId: 'tenant-a',
    procedureId: 'p-1',
    quoteId: 'quote-1',
    type: 'signed',
    status: 'signed',
    at: T0,
  },
});
