import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from './config.js';

const minimal = {
  signingBaseUrl: 'https://crm.example.com/sign/',
  secretKey: 'a-key-of-at-least-thirty-two-characters',
  storage: { kind: 'memory' },
} as const;

describe('the certificate in the configuration', () => {
  it('is in the tenant’s language alone unless a second language is named', () => {
    const alone = decodeConfig(minimal);
    expect(E.isRight(alone) && alone.right.certificate).toBeUndefined();
    for (const secondLanguage of ['fr', 'en'] as const) {
      const decoded = decodeConfig({ ...minimal, certificate: { secondLanguage } });
      expect(E.isRight(decoded) && decoded.right.certificate).toEqual({ secondLanguage });
    }
  });

  it.each([
    [{ secondLanguage: 'de' }, 'certificate.secondLanguage'],
    [{ secondLanguages: 'en' }, 'certificate.secondLanguages'],
    ['en', 'certificate'],
  ])('refuses %j with INVALID_CONFIG naming %s', (certificate, field) => {
    expect(decodeConfig({ ...minimal, certificate })).toMatchObject({
      left: { code: 'INVALID_CONFIG', details: { fields: field } },
    });
  });
});
