const DAY_MS = 86_400_000;
// 1970-01-01 to 9999-12-31: four-digit years, where the output is exactly `toISOString`'s.
const FAST_UNTIL = 253_402_300_800_000;
const twoDigits = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));

// The date part changes once a day: most timestamps reuse the last one computed.
let cachedDay = Number.NaN;
let cachedDate = '';

/** `YYYY-MM-DD` of a day counted from 1970-01-01, by Howard Hinnant's days-to-civil algorithm. */
const civilDate = (days: number): string => {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${twoDigits[Math.floor(year / 100)]}${twoDigits[year % 100]}-${twoDigits[month]}-${twoDigits[day]}`;
};

/**
 * `at.toISOString()`, about ten times faster: on Node 20 `toISOString` costs close to a microsecond, and the audit
 * chain writes a timestamp into every event it hashes.
 */
export const isoTimestamp = (at: Date): string => {
  const time = at.getTime();
  if (!(time >= 0 && time < FAST_UNTIL)) return at.toISOString();
  const days = Math.floor(time / DAY_MS);
  if (days !== cachedDay) {
    cachedDate = civilDate(days);
    cachedDay = days;
  }
  let rest = time - days * DAY_MS;
  const milliseconds = rest % 1000;
  rest = (rest - milliseconds) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${cachedDate}T${twoDigits[hours]}:${twoDigits[minutes]}:${twoDigits[seconds]}.${
    milliseconds < 100 ? (milliseconds < 10 ? '00' : '0') : ''
  }${milliseconds}Z`;
};
