import { PDFHexString, PDFName, type PDFObject, PDFRawStream, PDFString } from '@cantoo/pdf-lib';
import { decodeStreamWithin } from '../bounded-stream-decode.js';
import { isArray, isDict, type PdfLayers } from './pdf-layers.js';

export interface AttachedFile {
  readonly name: string;
  /** Undefined when the stream is larger than allowed or cannot be decoded. */
  readonly bytes?: Uint8Array;
}

// A name tree nests at most a few levels in practice; the bound keeps a hostile loop of /Kids finite.
const MAX_DEPTH = 16;
const MAX_FILES = 1000;

const text = (o: PDFObject | undefined): string | undefined =>
  o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined;

/** The files attached to a PDF's last revision (the /EmbeddedFiles name tree), each decoded up to `maxBytes`. */
export const attachedFiles = (layers: PdfLayers, maxBytes: number): ReadonlyArray<AttachedFile> => {
  const at = layers.revisions.length - 1;
  const resolve = (o: PDFObject | undefined) => layers.resolve(o, at);
  const catalogRef = layers.catalogRef(at);
  const catalog = catalogRef === undefined ? undefined : layers.lookup(catalogRef, at);
  if (!isDict(catalog)) return [];
  const names = resolve(catalog.get(PDFName.of('Names')));
  const root = isDict(names) ? resolve(names.get(PDFName.of('EmbeddedFiles'))) : undefined;
  const files: AttachedFile[] = [];
  const visit = (node: PDFObject | undefined, depth: number): void => {
    if (!isDict(node) || depth > MAX_DEPTH || files.length >= MAX_FILES) return;
    const kids = resolve(node.get(PDFName.of('Kids')));
    if (isArray(kids)) for (const kid of kids.asArray()) visit(resolve(kid), depth + 1);
    const pairs = resolve(node.get(PDFName.of('Names')));
    if (!isArray(pairs)) return;
    for (let i = 0; i + 1 < pairs.size(); i += 2) {
      const spec = resolve(pairs.get(i + 1));
      if (!isDict(spec)) continue;
      const name =
        text(resolve(spec.get(PDFName.of('UF')))) ??
        text(resolve(spec.get(PDFName.of('F')))) ??
        text(pairs.get(i));
      const ef = resolve(spec.get(PDFName.of('EF')));
      const stream = isDict(ef) ? resolve(ef.get(PDFName.of('F'))) : undefined;
      const bytes = stream instanceof PDFRawStream ? decodeStreamWithin(stream, maxBytes) : undefined;
      files.push({ name: name ?? '', ...(bytes === undefined ? {} : { bytes }) });
    }
  };
  visit(root, 0);
  return files;
};
