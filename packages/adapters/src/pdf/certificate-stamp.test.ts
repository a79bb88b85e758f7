import { describe, expect, it } from 'vitest';
import { stampLines } from './stamp.js';

const content = {
  signerName: 'Paraphe',
  signedAt: new Date('2025-03-12T12:05:29Z'),
  timeZone: 'Europe/Paris',
  procedureId: 'proc_01HZX3K9Q2',
  originalSha256: 'ab'.repeat(32),
};

describe("the certificate's own stamp", () => {
  it.each([
    ['fr', 'Scellé par Paraphe', 'Certificat de signature de la procédure proc_01HZX3K9Q2'],
    ['en', 'Sealed by Paraphe', 'Certificate of signature of procedure proc_01HZX3K9Q2'],
  ] as const)(
    'says what it seals, with no hash a reader could not relate to anything (%s)',
    (language, by, what) => {
      const lines = stampLines({ ...content, language, subject: 'certificate' });
      expect(lines).toContain(by);
      expect(lines).toContain(what);
      expect(lines.join(' ')).not.toMatch(/SHA-256|abab/);
    },
  );

  it("keeps the document's stamp as it was", () => {
    expect(stampLines({ ...content, language: 'en' })).toContain(`Original SHA-256: ${'ab'.repeat(8)}`);
    expect(stampLines({ ...content, language: 'en', subject: 'document' })).toEqual(
      stampLines({ ...content, language: 'en' }),
    );
  });
});
