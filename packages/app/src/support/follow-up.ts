import {
  defaultFollowUpTitle,
  type OutboxMessage,
  type SignatureProcedure,
  type TenantSettings,
} from '@paraphe/domain';
import { addDays } from 'date-fns/addDays';

/** Rule 6: a signature creates a follow-up action (for the sender by default) instead of marking the quote won. */
export const followUpMessage = (
  signed: SignatureProcedure,
  settings: TenantSettings,
  now: Date,
): ReadonlyArray<OutboxMessage> => {
  const automation = settings.followUp;
  if (!automation.enabled) return [];
  const id = `${signed.id}.follow-up`;
  return [
    {
      kind: 'follow-up',
      id,
      action: {
        id,
        tenantId: signed.tenantId,
        quoteId: signed.quoteId,
        procedureId: signed.id,
        assigneeId: automation.assignee.kind === 'sender' ? signed.senderId : automation.assignee.userId,
        title:
          automation.title.trim() === ''
            ? defaultFollowUpTitle(signed.language, signed.quoteNumber)
            : automation.title,
        dueAt: addDays(now, automation.dueInDays),
      },
    },
  ];
};
