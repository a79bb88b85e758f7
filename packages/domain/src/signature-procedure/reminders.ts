import { addHours } from 'date-fns/addHours';
import type { ReminderSettings } from '../tenant-settings/tenant-settings.js';
import type { SignatureProcedure } from './signature-procedure.js';

const awaitingSigner = ['sent', 'opened', 'verified'];

/** When the next reminder is due: an interval after the invitation or the last reminder; none once the count is used. */
export const nextReminderAt = (
  procedure: SignatureProcedure,
  settings: ReminderSettings,
): Date | undefined => {
  if (!settings.enabled || !awaitingSigner.includes(procedure.status)) return undefined;
  if (procedure.remindersSent >= settings.maxCount) return undefined;
  const lastContact = [...procedure.events]
    .reverse()
    .find((event) => event.type === 'reminder_sent' || event.type === 'invitation_sent');
  if (lastContact === undefined) return undefined;
  // Days of 24 hours, like the deadline: `addDays` would follow the server's zone and its DST changes.
  const due = addHours(lastContact.at, 24 * settings.intervalDays);
  return due.getTime() < procedure.deadline.getTime() ? due : undefined;
};

/** A signer who has not signed is reminded when the tenant wants it, stopping at signature, decline, cancel or expiry. */
export const isReminderDue = (
  procedure: SignatureProcedure,
  settings: ReminderSettings,
  now: Date,
): boolean => {
  const due = nextReminderAt(procedure, settings);
  return due !== undefined && due.getTime() <= now.getTime() && now.getTime() < procedure.deadline.getTime();
};
