import { describe, expect, it } from 'vitest';
import { consentText } from './consent.js';

describe('consentText', () => {
  it('names the quote in the signer language', () => {
    expect(consentText('fr', 'Q-7')).toBe(
      "J'ai lu et j'accepte le devis Q-7, et je le signe électroniquement.",
    );
    expect(consentText('en', 'Q-7')).toBe(
      'I have read and accept the quote Q-7, and I sign it electronically.',
    );
  });
});
