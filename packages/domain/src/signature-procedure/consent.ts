import type { Language } from '../shared/types.js';

/** The words the signer accepts by ticking the box; they are recorded on the timeline and in the proof. */
export const consentText = (language: Language, quoteNumber: string): string =>
  language === 'fr'
    ? `J'ai lu et j'accepte le devis ${quoteNumber}, et je le signe électroniquement.`
    : `I have read and accept the quote ${quoteNumber}, and I sign it electronically.`;
