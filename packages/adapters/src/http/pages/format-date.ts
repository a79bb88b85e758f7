import type { Language } from '@paraphe/domain';

// Building an Intl.DateTimeFormat costs about a tenth of a millisecond, most of a page's rendering: keep one per
// language and zone (zones are a finite list, so this stays small).
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatter = (language: Language, timeZone: string): Intl.DateTimeFormat => {
  const key = `${language}|${timeZone}`;
  let found = formatters.get(key);
  if (found === undefined) {
    found = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone,
    });
    formatters.set(key, found);
  }
  return found;
};

/** A date as the signer reads it, in the procedure's time zone (UTC if the zone is unknown to this runtime). */
export const formatDateTime = (date: Date, language: Language, timeZone: string): string => {
  try {
    return `${formatter(language, timeZone).format(date)} (${timeZone})`;
  } catch {
    return `${formatter(language, 'UTC').format(date)} (UTC)`;
  }
};
