import { EVIDENCE_FORMAT, EVIDENCE_FORMAT_V1, type EvidenceFile, sha256Hex } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { checkSigners, type HashMatch } from './evidence-check.js';
import type { DocumentVerification, SignatureVerification } from './verify-document.js';

const signer = (name: string) => ({
  name,
  email: `${name.toLowerCase()}@example.fr`,
  maskedMobile: '+336••••••78',
  role: 'contact' as const,
  identityCheck: {
    method: 'sms-code' as const,
    maskedMobile: '+336••••••78',
    codesSentAt: [],
    verifiedAt: new Date('2026-03-02T09:00:00Z'),
    wrongAttempts: 0,
  },
  consentText: 'Bon pour accord',
  signedAt: new Date('2026-03-02T09:01:00Z'),
});

const base = {
  procedureId: 'proc-1',
  quoteNumber: 'Q-1',
  tenantName: 'Acme',
  document: { name: 'q.pdf', pageCount: 1, originalSha256: sha256Hex('o'), signedSha256: sha256Hex('s') },
  signatureLevel: { legal: 'simple-electronic-signature', pades: 'B-T' },
  chain: { algorithm: 'sha256', canonicalForm: 'x', headAtSignature: sha256Hex('h'), headSequence: 0 },
  events: [],
} as const;

const evidence = (names: ReadonlyArray<string>): EvidenceFile => ({
  ...base,
  format: EVIDENCE_FORMAT,
  signingOrder: 'sequential',
  signers: names.map(signer),
});

/** Only what the check reads: each signature's kind, validity and revision. */
const documentWith = (
  signatures: ReadonlyArray<Pick<SignatureVerification, 'kind' | 'valid' | 'revision'>>,
): DocumentVerification => ({ signatures }) as unknown as DocumentVerification;

const match = (revision: number): HashMatch => ({ expected: 'x', matches: true, revision });
const sig = (revision: number, valid = true) => ({ kind: 'signature' as const, valid, revision });

describe("the certificate's signers against the signed document", () => {
  const hashes = { original: match(1), signed: match(4) };

  it('hold with one valid signature per signer between the original and the signed document', () => {
    expect(checkSigners(evidence(['Claire', 'Bob']), documentWith([sig(2), sig(3)]), hashes)).toEqual({
      names: ['Claire', 'Bob'],
      signatures: 2,
      matches: true,
    });
  });

  it.each([
    ['a signer missing a signature', ['Claire', 'Bob', 'Ana'], [sig(2), sig(3)], 2],
    ['one signature more than the signers', ['Claire'], [sig(2), sig(3)], 2],
    ['an invalid signature', ['Claire', 'Bob'], [sig(2), sig(3, false)], 1],
  ] as const)('fail with %s', (_, names, signatures, counted) => {
    expect(checkSigners(evidence(names), documentWith(signatures), hashes)).toMatchObject({
      signatures: counted,
      matches: false,
    });
  });

  it('count neither signatures of the original (signed before Paraphe) nor document timestamps, nor after the signed revision', () => {
    const document = documentWith([
      sig(1),
      sig(2),
      { kind: 'document-timestamp', valid: true, revision: 3 },
      sig(4),
      sig(5),
    ]);
    expect(checkSigners(evidence(['Claire', 'Bob']), document, hashes)).toMatchObject({
      signatures: 2,
      matches: true,
    });
  });

  it('cannot count when the hashes did not place the original and the signed document', () => {
    expect(
      checkSigners(evidence(['Claire']), documentWith([sig(2)]), {
        original: match(1),
        signed: { expected: 'x', matches: false },
      }),
    ).toEqual({ names: ['Claire'], signatures: 0, matches: false, reason: 'hashes-unmatched' });
  });

  it('has nothing to check in a version 1 file, which names no signer', () => {
    const v1: EvidenceFile = { ...base, format: EVIDENCE_FORMAT_V1 };
    expect(checkSigners(v1, documentWith([sig(2)]), hashes)).toBeUndefined();
  });
});
