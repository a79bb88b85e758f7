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

/** A date as people read it in the tenant's zone, with the zone named (`02/03/2026 10:15 UTC+1`). */
export const formatInTimeZone = (instant: Date, timeZone: string, language: Language): string =>
  formatterFor(timeZone, language).format(instant);
