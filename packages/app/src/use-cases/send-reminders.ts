import {
  type DomainError,
  type OutboxMessage,
  recordReminder,
  remindersDue,
  type SignatureProcedure,
  type TenantSettings,
  type Transition,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
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

/**
 * The reminders of the signers at `due`, each recorded on the procedure as the one before left it, as one transition;
 * each signer's email built from the procedure as it stood before their reminder (its id counts their reminders).
 */
const remindAll = (
  before: SignatureProcedure,
  due: ReadonlyArray<number>,
  now: Date,
  sender: Parameters<typeof reminderMessage>[1],
): E.Either<
  DomainError,
  { readonly transition: Transition; readonly messages: ReadonlyArray<OutboxMessage> }
> => {
  let procedure = before;
  const events: Transition['events'][number][] = [];
  const ledger: Transition['ledger'][number][] = [];
  const messages: OutboxMessage[] = [];
  for (const position of due) {
    const step = recordReminder(now, position)(procedure);
    if (E.isLeft(step)) return step;
    messages.push(reminderMessage(procedure, sender, position));
    events.push(...step.right.events);
    ledger.push(...step.right.ledger);
    procedure = step.right.procedure;
  }
  return E.right({ transition: { procedure, events, ledger }, messages });
};

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
 * Reminds every awaited signer who has not signed, as each tenant configured (off by default); each reminder is on the
 * timeline, one procedure's reminders written together.
 * A stored procedure that does not decode is skipped and reported; the others are reminded all the same.
 */
export const makeSendReminders = (deps: UseCaseDependencies) => (): JobRun => {
  const now = deps.clock.now();
  /** Each due signer's reminder recorded in turn on one procedure, then written once with every reminder email. */
  const remind =
    (session: UseCaseSession) =>
    ({ before, due }: { readonly before: SignatureProcedure; readonly due: ReadonlyArray<number> }) =>
      pipe(
        loadSender(deps.quotes, before.tenantId, before.senderId),
        TE.chain((sender) =>
          pipe(
            TE.fromEither(remindAll(before, due, now, sender)),
            TE.chain(({ transition, messages }) =>
              persistTransition(session, before, transition, now, messages),
            ),
            TE.map(() => due.length),
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
          awaiting.records.flatMap((before) => {
            const tenant = settings.get(before.tenantId);
            const due = tenant === undefined ? [] : remindersDue(before, tenant.reminders, now);
            return due.length === 0 ? [] : [{ before, due }];
          }),
          TE.traverseSeqArray(remind(session)),
        ),
      ),
      TE.map(({ awaiting, reminded }) =>
        finished(
          deps.logger,
          'reminders',
        )({
          // Reminders sent: one per signer reminded.
          count: reminded.reduce((sum, n) => sum + n, 0),
          unreadable: awaiting.unreadable,
        }),
      ),
    ),
  );
};
