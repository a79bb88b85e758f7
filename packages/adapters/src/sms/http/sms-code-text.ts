import type { Language } from '@paraphe/domain';

// Kept to the GSM 7-bit alphabet (é, à are in it) so the SMS stays one 160-character segment.
const clean = (s: string, max: number): string =>
  s
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, max);

const minutesText = (minutes: number): string => {
  const n = Number.isFinite(minutes) && minutes >= 1 ? Math.floor(minutes) : 1;
  return n === 1 ? '1 minute' : `${n} minutes`;
};

/**
 * The SMS that carries a signing code. With an empty `quoteNumber` the text is exactly
 * "Votre code de signature : 123456. Il expire dans 5 minutes. Ne le communiquez à personne."
 * / "Your signature code: 123456. It expires in 5 minutes. Do not share it."; otherwise it
 * names the quote, so a signer with several pending quotes knows which one the code is for.
 */
export const smsCodeText = (
  language: Language,
  code: string,
  quoteNumber: string,
  validityMinutes = 5,
): string => {
  const quote = clean(quoteNumber, 30);
  const minutes = minutesText(validityMinutes);
  const safeCode = clean(code, 12);
  switch (language) {
    case 'fr':
      return `Votre code de signature${quote === '' ? '' : ` pour le devis ${quote}`} : ${safeCode}. Il expire dans ${minutes}. Ne le communiquez à personne.`;
    case 'en':
      return `Your signature code${quote === '' ? '' : ` for quote ${quote}`}: ${safeCode}. It expires in ${minutes}. Do not share it.`;
  }
};
