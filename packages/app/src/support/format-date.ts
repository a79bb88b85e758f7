import type { Language } from '@paraphe/domain';

// Building an Intl formatter costs far more than formatting with it; one per language and zone is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string, language: Language): Intl.DateTimeFormat => {
  const key = `${language} ${timeZone}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    formatters.set(key, formatter);
  }
  return formatter;
};

// The text shows minutes, no seconds: every instant of one minute reads the same, and sends in a row set deadlines
// within the same minute. The last text per language and zone is kept with the minute it stands for. Only from
// 1980 on: some zones had offsets with seconds before 1972 (Liberia, local mean times), and there a UTC minute
// straddles two local minutes.
const lastByKey = new Map<string, { readonly minute: number; readonly text: string }>();
const MINUTE_MS = 60_000;
const SINCE_WHOLE_MINUTE_OFFSETS_MS = Date.UTC(1980, 0, 1);

/** A date as people read it in the tenant's zone, with the zone named (`02/03/2026 10:15 UTC+1`). */
export const formatInTimeZone = (instant: Date, timeZone: string, language: Language): string => {
  const minute = Math.floor(instant.getTime() / MINUTE_MS);
  if (!(instant.getTime() >= SINCE_WHOLE_MINUTE_OFFSETS_MS))
    return formatterFor(timeZone, language).format(instant);
  const key = `${language} ${timeZone}`;
  const last = lastByKey.get(key);
  if (last !== undefined && last.minute === minute) return last.text;
  const text = formatterFor(timeZone, language).format(instant);
  if (lastByKey.size >= 1000) lastByKey.clear();
  lastByKey.set(key, { minute, text });
  return text;
};
