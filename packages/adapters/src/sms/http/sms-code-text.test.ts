import { describe, expect, it } from 'vitest';
import { smsCodeText } from './sms-code-text.js';

describe('smsCodeText', () => {
  it('says the code, its lifetime and not to share it, in French and English', () => {
    expect(smsCodeText('fr', '123456', '')).toBe(
      'Votre code de signature : 123456. Il expire dans 5 minutes. Ne le communiquez à personne.',
    );
    expect(smsCodeText('en', '123456', '')).toBe(
      'Your signature code: 123456. It expires in 5 minutes. Do not share it.',
    );
  });

  it('names the quote and takes the lifetime from its parameter', () => {
    expect(smsCodeText('fr', '654321', 'D-2024-042', 10)).toBe(
      'Votre code de signature pour le devis D-2024-042 : 654321. Il expire dans 10 minutes. Ne le communiquez à personne.',
    );
    expect(smsCodeText('en', '654321', 'D-2024-042', 1)).toBe(
      'Your signature code for quote D-2024-042: 654321. It expires in 1 minute. Do not share it.',
    );
  });

  it('keeps a long or odd quote number from breaking the message', () => {
    const text = smsCodeText('en', '123456', `Q\n${'9'.repeat(200)}`);
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThanOrEqual(160);
  });
});
