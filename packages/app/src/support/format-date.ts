import type { Language } from '@paraphe/domain';

/** A date as people read it in the tenant's zone, with the zone named (`02/03/2026 10:15 UTC+1`). */
export const formatInTimeZone = (instant: Date, timeZone: string, language: Language): string =>
  new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(instant);
