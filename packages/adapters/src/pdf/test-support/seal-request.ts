import { type SealRequest, sha256Hex } from '@paraphe/domain';

/** A seal request for tests, with a fixed instant so outputs are reproducible. */
export const sealRequestFor = (document: Uint8Array, overrides: Partial<SealRequest> = {}): SealRequest => ({
  document,
  procedureId: 'proc_01HZX3K9Q2',
  signerName: 'Zoé Lefèvre-Łukasz',
  signedAt: new Date('2025-03-12T13:05:09Z'),
  timeZone: 'Europe/Paris',
  language: 'fr',
  originalSha256: sha256Hex(document),
  ...overrides,
});
