// What the ink-scan tests run in a worker thread (see in-worker.ts), so that an input that never ends fails them.
import { PDFDocument, PDFName, type PDFPage } from '@cantoo/pdf-lib';
import { type ScanBudget, type ScanOutcome, scanContentStream } from '../content-stream-scanner.js';
import { generateDevelopmentSigningIdentity } from '../development-identity.js';
import { INK_SCAN_BUDGET, lowestInk } from '../ink-bounds.js';
import { makePadesDocumentSealer } from '../pades-document-sealer.js';
import { referenceLowestInk } from './reference-ink-bounds.js';
import { sealRequestFor } from './seal-request.js';

export type XObjectSpec =
  | { readonly kind: 'image' }
  | { readonly kind: 'form'; readonly content: string; readonly matrix?: ReadonlyArray<number> };

/** A page to build: its content (latin1), compressed or not, and the XObjects its resources name. */
export interface PageSpec {
  readonly content: string | Uint8Array;
  readonly compressed?: boolean;
  /** The content is already encoded with this filter. */
  readonly filter?: string;
  readonly xobjects?: Readonly<Record<string, XObjectSpec>>;
}

const bytesOf = (content: string | Uint8Array): Uint8Array =>
  typeof content === 'string' ? new Uint8Array(Buffer.from(content, 'latin1')) : content;

export const pageOf = async (spec: PageSpec): Promise<PDFPage> => {
  const doc = await PDFDocument.create();
  const { context } = doc;
  const page = doc.addPage([595, 842]);
  const stream = (content: string | Uint8Array, dict: Record<string, unknown> = {}) =>
    spec.compressed === true
      ? context.flateStream(bytesOf(content), dict as never)
      : context.stream(bytesOf(content), dict as never);
  const contents =
    spec.filter === undefined ? stream(spec.content) : context.stream(spec.content, { Filter: spec.filter });
  page.node.set(PDFName.of('Contents'), context.register(contents));
  const xobjects = Object.entries(spec.xobjects ?? {}).map(([name, x]) => {
    const dict =
      x.kind === 'image'
        ? {
            Type: 'XObject',
            Subtype: 'Image',
            Width: 1,
            Height: 1,
            ColorSpace: 'DeviceGray',
            BitsPerComponent: 8,
          }
        : {
            Type: 'XObject',
            Subtype: 'Form',
            BBox: [0, 0, 595, 842],
            ...(x.matrix ? { Matrix: x.matrix } : {}),
          };
    return [name, context.register(stream(x.kind === 'image' ? '\x80' : x.content, dict))] as const;
  });
  // Every form shares the page's resources, so forms can draw one another (and themselves).
  page.node.set(PDFName.of('Resources'), context.obj({ XObject: Object.fromEntries(xobjects) }));
  return page;
};

const timed = <T>(f: () => T): { readonly value: T; readonly ms: number } => {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
};

/** The scanner alone: its outcome and how many operators it handed over (it stops at BI, as lowestInk does). */
export const scan = (
  content: Uint8Array,
  limits: ScanBudget = INK_SCAN_BUDGET,
): { readonly outcome: ScanOutcome; readonly operators: number; readonly ms: number } => {
  let operators = 0;
  const { value, ms } = timed(() =>
    scanContentStream(content, { ...limits }, (op) => {
      operators++;
      return op !== 'BI';
    }),
  );
  return { outcome: value, operators, ms };
};

export const ours = async (
  spec: PageSpec,
  limits: ScanBudget = INK_SCAN_BUDGET,
): Promise<{ readonly lowest: number; readonly ms: number }> => {
  const page = await pageOf(spec);
  const { value, ms } = timed(() => lowestInk(page, 595 * 842, limits));
  return { lowest: value, ms };
};

/** Ours and the reference (pdf-lib's parser) on a well-formed page. */
export const both = async (spec: PageSpec): Promise<readonly [number, number]> => {
  const page = await pageOf(spec);
  return [lowestInk(page, 595 * 842), referenceLowestInk(page, 595 * 842)];
};

/** Ours and the reference on every page of a real document. */
export const bothOnEveryPage = async (pdf: Uint8Array): Promise<ReadonlyArray<readonly [number, number]>> => {
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, throwOnInvalidObject: false });
  return doc.getPages().map((page) => {
    const { width, height } = page.getCropBox();
    return [lowestInk(page, width * height), referenceLowestInk(page, width * height)] as const;
  });
};

export const seal = async (
  pdf: Uint8Array,
): Promise<{ readonly sealed?: Uint8Array; readonly code?: string; readonly ms: number }> => {
  const sealer = makePadesDocumentSealer({ identity: await generateDevelopmentSigningIdentity() });
  const t0 = performance.now();
  const result = await sealer.seal(sealRequestFor(pdf))();
  const ms = performance.now() - t0;
  return result._tag === 'Right' ? { sealed: result.right, ms } : { code: result.left.code, ms };
};
