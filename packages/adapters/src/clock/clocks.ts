import type { Clock } from '@paraphe/domain';

export const makeSystemClock = (): Clock => ({ now: () => new Date() });

/** A clock that stands still until a test or the demo moves it. */
export interface AdjustableClock extends Clock {
  readonly advanceBy: (milliseconds: number) => void;
  readonly set: (instant: Date) => void;
}

export const makeAdjustableClock = (start: Date): AdjustableClock => {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advanceBy: (milliseconds) => {
      if (milliseconds < 0) throw new Error('An adjustable clock only moves forward');
      current += milliseconds;
    },
    set: (instant) => {
      current = instant.getTime();
    },
  };
};
