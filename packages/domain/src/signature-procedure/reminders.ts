import { addHours } from 'date-fns/addHours';
import type { ReminderSettings } from '../tenant-settings/tenant-settings.js';
import { isAwaitingSignerStatus, isTerminal } from './procedure-status.js';
import type { SignatureProcedure } from './signature-procedure.js';

/** The event data's signer number, present only with several signers (see `signerData`). */
const concerns = (procedure: SignatureProcedure, data: { readonly signer?: unknown }, position: number) =>
  procedure.signers.length === 1 || data.signer === position + 1;

/**
 * When a signer's next reminder is due: an interval after their invitation or their last reminder; none once their
 * count is used, nor for a signer not awaited (not yet invited, signed) or a procedure that ended.
 */
export const nextReminderAt = (
  procedure: SignatureProcedure,
  settings: ReminderSettings,
  position = 0,
): Date | undefined => {
  const signer = procedure.signers[position];
  if (!settings.enabled || signer === undefined || isTerminal(procedure.status)) return undefined;
  if (!isAwaitingSignerStatus(signer.status) || signer.remindersSent >= settings.maxCount) return undefined;
  let lastContact: Date | undefined;
  for (let i = procedure.events.length - 1; i >= 0 && lastContact === undefined; i--) {
    const event = procedure.events[i]!;
    if (
      (event.type === 'reminder_sent' || event.type === 'invitation_sent') &&
      concerns(procedure, event.data, position)
    )
      lastContact = event.at;
  }
  if (lastContact === undefined) return undefined;
  // Days of 24 hours, like the deadline: `addDays` would follow the server's zone and its DST changes.
  const due = addHours(lastContact, 24 * settings.intervalDays);
  return due.getTime() < procedure.deadline.getTime() ? due : undefined;
};

/** A signer who has not signed is reminded when the tenant wants it, stopping at signature, decline, cancel or expiry. */
export const isReminderDue = (
  procedure: SignatureProcedure,
  settings: ReminderSettings,
  now: Date,
  position = 0,
): boolean => {
  const due = nextReminderAt(procedure, settings, position);
  return due !== undefined && due.getTime() <= now.getTime() && now.getTime() < procedure.deadline.getTime();
};

/** The positions of the signers whose reminder is due now: whoever is awaited. */
export const remindersDue = (
  procedure: SignatureProcedure,
  settings: ReminderSettings,
  now: Date,
): ReadonlyArray<number> =>
  procedure.signers
    .filter((signer) => isReminderDue(procedure, settings, now, signer.position))
    .map((signer) => signer.position);
