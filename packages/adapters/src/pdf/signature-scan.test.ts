import { describe, expect, it } from 'vitest';
import { findSignatures } from './signature-scan.js';

/** A bare signature dictionary whose /ByteRange points at its own /Contents hole, around a `name` entry. */
const signatureWith = (name: string): Uint8Array => {
  const pad = (n: number) => String(n).padStart(6, '0');
  const build = (b: number, c: number, d: number) =>
    `1 0 obj\n<< /Type /Sig /Name ${name} /ByteRange [0 ${pad(b)} ${pad(c)} ${pad(d)}] /Contents <3000>\n>>\nendobj\n`;
  const draft = build(0, 0, 0);
  const b = draft.indexOf('/Contents <') + '/Contents '.length;
  const c = draft.indexOf('>', b) + 1;
  return Buffer.from(build(b, c, draft.length - c), 'latin1');
};

describe('findSignatures', () => {
  it('reads UTF-16BE names, hex or literal', () => {
    expect(findSignatures(signatureWith('<FEFF00C900760061>'))[0]?.name).toBe('Éva');
    expect(findSignatures(signatureWith('(\\376\\377\\000A\\000B)'))[0]?.name).toBe('AB');
  });

  // Found by the one-byte-edit property of verify-signed-pdf.test.ts: an edit can leave a UTF-16 string with an odd
  // byte count, on which Buffer#swap16 throws; the scan must report what it reads, never throw.
  it('drops the odd last byte of a damaged UTF-16BE string instead of throwing', () => {
    expect(findSignatures(signatureWith('<FEFF0041004200>'))[0]?.name).toBe('AB');
    expect(findSignatures(signatureWith('(\\376\\377\\000A\\000)'))[0]?.name).toBe('A');
  });
});
