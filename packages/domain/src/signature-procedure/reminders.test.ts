import { afterEach, describe, expect, it } from 'vitest';
import type { ReminderSettings } from '../tenant-settings/tenant-settings.js';
import { assertRight } from '../test-support/assert-either.js';
import {
  at,
  codeSentProcedure,
  days,
  pendingProcedure,
  seconds,
  sentProcedure,
  T0,
} from '../test-support/fixtures.js';
import { cancel, recordReminder } from './lifecycle-transitions.js';
import { isReminderDue, nextReminderAt } from './reminders.js';

const every2Days: ReminderSettings = { enabled: true, intervalDays: 2, maxCount: 2 };
const sentAt = at(T0, seconds(1));

describe('reminders', () => {
  const originalZone = process.env.TZ;
  afterEach(() => {
    if (originalZone === undefined) delete process.env.TZ;
    else process.env.TZ = originalZone;
  });

  it('fall due an interval after the invitation, then after the last reminder', () => {
    const sent = sentProcedure();
    expect(nextReminderAt(sent, every2Days)).toEqual(at(sentAt, days(2)));
    expect(isReminderDue(sent, every2Days, at(sentAt, days(2) - 1))).toBe(false);
    expect(isReminderDue(sent, every2Days, at(sentAt, days(2)))).toBe(true);
    const reminded = assertRight(recordReminder(at(T0, days(3)))(sent)).procedure;
    expect(nextReminderAt(reminded, every2Days)).toEqual(at(T0, days(5)));
  });

  it('stop at the count, when off, before sending, once ended, and past the deadline', () => {
    let p = sentProcedure();
    p = assertRight(recordReminder(at(T0, days(2)))(p)).procedure;
    p = assertRight(recordReminder(at(T0, days(4)))(p)).procedure;
    expect(nextReminderAt(p, every2Days)).toBeUndefined();
    expect(nextReminderAt(sentProcedure(), { ...every2Days, enabled: false })).toBeUndefined();
    expect(nextReminderAt(pendingProcedure(), every2Days)).toBeUndefined();
    const cancelled = assertRight(cancel('user-1', at(T0, days(1)))(codeSentProcedure())).procedure;
    expect(nextReminderAt(cancelled, every2Days)).toBeUndefined();
    expect(nextReminderAt(sentProcedure(), { ...every2Days, intervalDays: 14, maxCount: 5 })).toEqual(
      at(sentAt, days(14)),
    );
    // The next one would fall after the 15-day deadline.
    const late = assertRight(recordReminder(at(T0, days(14)))(sentProcedure())).procedure;
    expect(nextReminderAt(late, { ...every2Days, maxCount: 5 })).toBeUndefined();
  });

  // Same bug as the deadline: `addDays` counts calendar days in the server's zone.
  it.each(['UTC', 'Europe/Paris', 'America/New_York'])(
    'fall due at the same instant on a server in %s',
    (zone) => {
      process.env.TZ = zone;
      // 2025-03-29T10:00Z + 2 days crosses the European DST change of 30 March.
      const sent = assertRight(recordReminder(at(T0, days(9)))(sentProcedure())).procedure;
      expect(nextReminderAt(sent, every2Days)?.toISOString()).toBe('2025-03-31T10:00:00.000Z');
    },
  );
});
