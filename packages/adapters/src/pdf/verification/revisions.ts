/** One revision of a PDF: the original, or an incremental update, each ending with its own %%EOF. */
export interface Revision {
  /** 0 for the first. */
  readonly index: number;
  readonly start: number;
  /** Right after this revision's %%EOF. */
  readonly eofAt: number;
  /** Where the next revision starts: after the end-of-line and any whitespace following %%EOF. */
  readonly end: number;
  /** False for bytes after the last %%EOF that are not whitespace: an update never finished, or junk. */
  readonly complete: boolean;
}

const isWhitespace = (byte: number | undefined): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;

/**
 * Splits a file at each %%EOF marker. A marker inside a stream (an embedded PDF stored uncompressed) would make an
 * extra split; callers only compare what later revisions redefine, which such a split does not change.
 */
export const revisionsOf = (pdf: Uint8Array): ReadonlyArray<Revision> => {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length).toString('latin1');
  const revisions: Revision[] = [];
  let start = 0;
  for (let at = text.indexOf('%%EOF'); at >= 0; at = text.indexOf('%%EOF', at + 5)) {
    const eofAt = at + 5;
    let end = eofAt;
    while (end < pdf.length && isWhitespace(pdf[end])) end += 1;
    revisions.push({ index: revisions.length, start, eofAt, end, complete: true });
    start = end;
    at = Math.max(at, end - 5);
  }
  if (start < pdf.length)
    revisions.push({ index: revisions.length, start, eofAt: pdf.length, end: pdf.length, complete: false });
  return revisions;
};

/** The revision a signed byte range ends with: its end falls between that revision's %%EOF and the next start. */
export const revisionEndingAt = (revisions: ReadonlyArray<Revision>, offset: number): Revision | undefined =>
  revisions.find((r) => r.complete && r.eofAt <= offset && offset <= r.end);
