import type { Language } from '@paraphe/domain';

/** The SMS the signer receives; the code appears here and nowhere else. */
export const smsCodeText = (language: Language, code: string, validityMinutes: number): string =>
  language === 'fr'
    ? `Votre code de signature : ${code}. Il expire dans ${validityMinutes} minutes. Ne le communiquez à personne.`
    : `Your signature code: ${code}. It expires in ${validityMinutes} minutes. Do not share it.`;
