import { isReminderDue, recordReminder, type SignatureProcedure, type TenantSettings } from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { persistTransition } from '../support/persist-transition.js';
import { reminderMessage } from '../support/reminder-email.js';
import { loadSender } from '../support/sender.js';
import { loadSettings } from '../support/settings.js';
import type { UseCaseSession } from '../support/use-case-storage.js';
import type { UseCaseDependencies } from './dependencies.js';
import { finished, type JobRun } from './job-report.js';

const BATCH = 1000;

/** Each tenant's settings, read once per run. */
const settingsByTenant = (session: UseCaseSession, procedures: ReadonlyArray<SignatureProcedure>) =>
  pipe(
    [...new Set(procedures.map((p) => p.tenantId))],
    TE.traverseSeqArray((tenantId) =>
      pipe(
        loadSettings(session, tenantId),
        TE.map((settings) => [tenantId, settings] as const),
      ),
    ),
    TE.map((pairs) => new Map<string, TenantSettings>(pairs)),
  );

/**
 * Reminds signers who have not signed, as each tenant configured (off by default); each reminder is on the timeline.
 * A stored procedure that does not decode is skipped and reported; the others are reminded all the same.
 */
export const makeSendReminders = (deps: UseCaseDependencies) => (): JobRun => {
  const now = deps.clock.now();
  const remind = (session: UseCaseSession) => (before: SignatureProcedure) =>
    pipe(
      loadSender(deps.quotes, before.tenantId, before.senderId),
      TE.chain((sender) =>
        pipe(
          TE.fromEither(recordReminder(now)(before)),
          TE.chain((transition) =>
            persistTransition(session, before, transition, now, [reminderMessage(before, sender)]),
          ),
        ),
      ),
    );

  return deps.storage.unitOfWork((session) =>
    pipe(
      session.procedures.listAwaitingSigner(now, BATCH),
      TE.bindTo('awaiting'),
      TE.bind('settings', ({ awaiting }) => settingsByTenant(session, awaiting.records)),
      TE.bind('reminded', ({ awaiting, settings }) =>
        pipe(
          awaiting.records.filter((p) => {
            const tenant = settings.get(p.tenantId);
            return tenant !== undefined && isReminderDue(p, tenant.reminders, now);
          }),
          TE.traverseSeqArray(remind(session)),
        ),
      ),
      TE.map(({ awaiting, reminded }) =>
        finished(deps.logger, 'reminders')({ count: reminded.length, unreadable: awaiting.unreadable }),
      ),
    ),
  );
};
