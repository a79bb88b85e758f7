import { EncryptedPDFError, ParseSpeeds, PDFDocument } from '@cantoo/pdf-lib';
import { type SealingError, sealingError } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';

export const DEFAULT_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

const unreadable = (reason: string): SealingError => sealingError('DOCUMENT_UNREADABLE', { reason });

const latin1 = (bytes: Uint8Array, from: number, to: number): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, to - from)).toString('latin1');

/**
 * Cheap structural checks pdf-lib skips: it recovers silently from a truncated file, which would make us
 * append an update whose /Prev points past the end of the original.
 */
export const checkStructure = (bytes: Uint8Array, maxBytes: number): SealingError | undefined => {
  if (bytes.length === 0) return unreadable('empty');
  if (bytes.length > maxBytes)
    return sealingError('DOCUMENT_TOO_LARGE', { size: bytes.length, max: maxBytes });
  if (!latin1(bytes, 0, Math.min(bytes.length, 1024)).includes('%PDF-')) return unreadable('no PDF header');
  const tail = latin1(bytes, Math.max(0, bytes.length - 2048), bytes.length);
  const startxref = [...tail.matchAll(/startxref\s+(\d+)\s+%%EOF/g)].at(-1);
  if (startxref === undefined) return unreadable('truncated: no startxref and %%EOF at the end');
  const offset = Number(startxref[1]);
  if (!(offset > 0 && offset < bytes.length)) return unreadable('startxref outside the file');
  const atOffset = latin1(bytes, offset, Math.min(bytes.length, offset + 32));
  if (!/^(xref|\d+\s+\d+\s+obj)/.test(atOffset))
    return unreadable('startxref does not point to a cross-reference');
  return undefined;
};

const describe = (e: unknown): SealingError => {
  if (e instanceof EncryptedPDFError) return sealingError('DOCUMENT_ENCRYPTED');
  return unreadable(e instanceof Error ? e.message.slice(0, 200) : 'unknown parse failure');
};

/** Loads a document ready for an incremental update, turning every parser failure into a typed error. */
export const loadForIncrementalUpdate = (
  bytes: Uint8Array,
  maxBytes: number,
): TE.TaskEither<SealingError, PDFDocument> => {
  const structural = checkStructure(bytes, maxBytes);
  if (structural !== undefined) return TE.left(structural);
  return TE.tryCatch(async () => {
    // Fastest: the default parse speed yields to the event loop with setTimeout every 100 objects (≥1 ms each).
    const document = await PDFDocument.load(bytes, {
      forIncrementalUpdate: true,
      parseSpeed: ParseSpeeds.Fastest,
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
    if (document.isEncrypted) throw new EncryptedPDFError();
    if (document.getPageCount() < 1) throw new Error('no page');
    return document;
  }, describe);
};
