import { PDFArray, type PDFContext, PDFDict, type PDFObject, PDFParser, PDFRef } from '@cantoo/pdf-lib';
import type { Revision } from './revisions.js';

const HEADER = Buffer.from('%PDF-1.7\n', 'latin1');

/**
 * Every revision of a PDF parsed on its own, so what each update (re)defines is known, and an object can be read as
 * it was at any revision: the newest definition in that revision or an earlier one. One parse of the whole file.
 */
export interface PdfLayers {
  readonly revisions: ReadonlyArray<Revision>;
  /** The objects a revision defines; undefined when the parser could not read it. */
  readonly definedIn: (revision: number) => ReadonlyArray<readonly [PDFRef, PDFObject]> | undefined;
  readonly lookup: (ref: PDFRef, atRevision: number) => PDFObject | undefined;
  /** An object as it was at a revision, references followed. */
  readonly resolve: (object: PDFObject | undefined, atRevision: number) => PDFObject | undefined;
  readonly catalogRef: (atRevision: number) => PDFRef | undefined;
}

const parseRevision = async (pdf: Uint8Array, revision: Revision): Promise<PDFContext | undefined> => {
  const slice = pdf.subarray(revision.start, revision.end);
  const bytes = revision.index === 0 ? slice : Buffer.concat([HEADER, slice]);
  try {
    return await PDFParser.forBytesWithOptions(bytes, Number.POSITIVE_INFINITY, false, false).parseDocument();
  } catch {
    return undefined;
  }
};

export const readLayers = async (pdf: Uint8Array, revisions: ReadonlyArray<Revision>): Promise<PdfLayers> => {
  const contexts: Array<PDFContext | undefined> = [];
  for (const revision of revisions) contexts.push(await parseRevision(pdf, revision));
  const lookup = (ref: PDFRef, atRevision: number): PDFObject | undefined => {
    for (let i = Math.min(atRevision, contexts.length - 1); i >= 0; i--) {
      const found = contexts[i]?.lookup(ref);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return {
    revisions,
    definedIn: (revision) => contexts[revision]?.enumerateIndirectObjects(),
    lookup,
    resolve: (object, atRevision) => (object instanceof PDFRef ? lookup(object, atRevision) : object),
    catalogRef: (atRevision) => {
      for (let i = Math.min(atRevision, contexts.length - 1); i >= 0; i--) {
        const root = contexts[i]?.trailerInfo.Root;
        if (root instanceof PDFRef) return root;
      }
      return undefined;
    },
  };
};

export const isDict = (object: PDFObject | undefined): object is PDFDict => object instanceof PDFDict;
export const isArray = (object: PDFObject | undefined): object is PDFArray => object instanceof PDFArray;
