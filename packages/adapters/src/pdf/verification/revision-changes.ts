import { PDFArray, type PDFDict, PDFName, type PDFObject, PDFRawStream, type PDFRef } from '@cantoo/pdf-lib';
import { isArray, isDict, type PdfLayers } from './pdf-layers.js';

/** What an update may add after a signature (ETSI EN 319 142-1: validation data, timestamps, signatures). */
export type AllowedAddition = 'signature' | 'document-timestamp' | 'dss';

export interface RevisionChanges {
  readonly revision: number;
  readonly adds: ReadonlyArray<AllowedAddition>;
  /** Anything else the update changes, e.g. `catalog /Names`, `page 2 /Contents`, `annotation added`. */
  readonly otherChanges: ReadonlyArray<string>;
}

const name = (key: string): PDFName => PDFName.of(key);
const nameOf = (dict: PDFDict, key: string): string | undefined => {
  const value = dict.get(name(key));
  return value instanceof PDFName ? value.decodeText() : undefined;
};

const sameObject = (a: PDFObject, b: PDFObject): boolean => {
  if (a instanceof PDFRawStream || b instanceof PDFRawStream)
    return (
      a instanceof PDFRawStream &&
      b instanceof PDFRawStream &&
      a.dict.toString() === b.dict.toString() &&
      Buffer.from(a.contents).equals(Buffer.from(b.contents))
    );
  return a.constructor === b.constructor && a.toString() === b.toString();
};

const changedKeys = (before: PDFDict | undefined, after: PDFDict): ReadonlyArray<string> => {
  const keys = new Set([...(before?.keys() ?? []), ...after.keys()].map((k) => k.decodeText()));
  return [...keys].filter((key) => {
    const a = before?.get(name(key));
    const b = after.get(name(key));
    return a === undefined || b === undefined ? a !== b : !sameObject(a, b);
  });
};

const isSignatureDictionary = (dict: PDFDict): boolean =>
  ['Sig', 'DocTimeStamp'].includes(nameOf(dict, 'Type') ?? '') || dict.has(name('ByteRange'));

const isDss = (dict: PDFDict): boolean =>
  nameOf(dict, 'Type') === 'DSS' || ['Certs', 'OCSPs', 'CRLs', 'VRI'].some((k) => dict.has(name(k)));

const ALLOWED_ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances']);
const ALLOWED_SIGNATURE_FIELD_KEYS = new Set(['V', 'AP', 'Lock']);

/** Compares each object an update redefines with what it was before, and sorts the differences. */
export const changesIn = (layers: PdfLayers, revision: number): RevisionChanges => {
  const adds = new Set<AllowedAddition>();
  const other: string[] = [];
  const meta = layers.revisions[revision];
  if (meta !== undefined && !meta.complete)
    return { revision, adds: [], otherChanges: ['bytes after the last %%EOF'] };
  const defined = layers.definedIn(revision);
  if (defined === undefined) return { revision, adds: [], otherChanges: ['unreadable update'] };
  const before = revision - 1;
  const after = revision;
  const resolveBefore = (o: PDFObject | undefined) => layers.resolve(o, before);
  const resolveAfter = (o: PDFObject | undefined) => layers.resolve(o, after);

  const isSignatureField = (o: PDFObject | undefined): boolean => {
    const field = resolveAfter(o);
    if (!isDict(field)) return false;
    if (nameOf(field, 'FT') === 'Sig') return true;
    const parent = resolveAfter(field.get(name('Parent')));
    return isDict(parent) && nameOf(parent, 'FT') === 'Sig';
  };

  // A signature field whose value is a document timestamp adds that timestamp, any other a signature.
  const fieldKind = (o: PDFObject | undefined): AllowedAddition => {
    const field = resolveAfter(o);
    const value = isDict(field) ? resolveAfter(field.get(name('V'))) : undefined;
    return isDict(value) && nameOf(value, 'SubFilter') === 'ETSI.RFC3161'
      ? 'document-timestamp'
      : 'signature';
  };

  // An /Annots or /Fields array may only gain signature fields; every entry it had stays.
  const checkAppended = (
    previous: PDFObject | undefined,
    next: PDFObject | undefined,
    where: string,
  ): void => {
    const old = resolveBefore(previous);
    const now = resolveAfter(next);
    const oldItems = isArray(old) ? old.asArray().map(String) : [];
    const newItems = isArray(now) ? now.asArray() : [];
    // Counted in a map: an array of many thousand annotations stays linear.
    const remaining = new Map<string, number>();
    for (const item of oldItems) remaining.set(item, (remaining.get(item) ?? 0) + 1);
    const added: PDFObject[] = [];
    for (const item of newItems) {
      const key = String(item);
      const count = remaining.get(key) ?? 0;
      if (count > 0) remaining.set(key, count - 1);
      else added.push(item);
    }
    if ([...remaining.values()].some((n) => n > 0)) other.push(`${where}: entries removed`);
    if (added.some((item) => !isSignatureField(item))) other.push(`${where}: annotation or field added`);
    else for (const item of added) adds.add(fieldKind(item));
  };

  const catalogBefore = layers.catalogRef(before);
  const acroFormBefore = (() => {
    const catalog = catalogBefore === undefined ? undefined : layers.lookup(catalogBefore, before);
    return isDict(catalog) ? catalog.get(name('AcroForm')) : undefined;
  })();

  for (const [ref, object] of defined) {
    if (object instanceof PDFRawStream && ['ObjStm', 'XRef'].includes(nameOf(object.dict, 'Type') ?? ''))
      continue;
    const previous = layers.lookup(ref, before);
    if (previous === undefined) {
      if (isDict(object) && isSignatureDictionary(object))
        adds.add(nameOf(object, 'SubFilter') === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature');
      else if (isDict(object) && isDss(object)) adds.add('dss');
      continue;
    }
    if (sameObject(previous, object)) continue;
    describeChange(ref, previous, object);
  }
  return { revision, adds: [...adds], otherChanges: other };

  function describeChange(ref: PDFRef, previous: PDFObject, object: PDFObject): void {
    if (ref === catalogBefore && isDict(previous) && isDict(object)) {
      for (const key of changedKeys(previous, object)) {
        if (key === 'DSS' || key === 'Extensions') adds.add('dss');
        else if (key === 'AcroForm') acroFormChange(previous.get(name(key)), object.get(name(key)));
        else other.push(`catalog /${key}`);
      }
      return;
    }
    if (ref === acroFormBefore && isDict(previous) && isDict(object)) {
      acroFormChange(previous, object);
      return;
    }
    if (isDict(previous) && isDict(object) && nameOf(previous, 'Type') === 'Page') {
      for (const key of changedKeys(previous, object)) {
        if (key === 'Annots')
          checkAppended(previous.get(name(key)), object.get(name(key)), `page ${ref.objectNumber} /Annots`);
        else other.push(`page ${ref.objectNumber} /${key}`);
      }
      return;
    }
    if (isDict(previous) && isDict(object) && nameOf(previous, 'FT') === 'Sig') {
      const keys = changedKeys(previous, object);
      if (keys.every((k) => ALLOWED_SIGNATURE_FIELD_KEYS.has(k))) adds.add('signature');
      else other.push(`signature field ${ref.objectNumber}: /${keys.join(' /')}`);
      return;
    }
    if (isDict(previous) && isDict(object) && nameOf(previous, 'Type') === 'Pages') {
      pagesChange(ref, previous, object);
      return;
    }
    if (previous instanceof PDFArray && object instanceof PDFArray) {
      checkAppended(previous, object, `array ${ref.objectNumber}`);
      return;
    }
    const type = isDict(previous) ? nameOf(previous, 'Type') : undefined;
    other.push(`object ${ref.objectNumber}${type === undefined ? '' : ` (/${type})`} changed`);
  }

  // A page added only to carry a signature's stamp (no content of its own, only signature widgets) changes nothing
  // of what was signed: the sealer adds one when the last page has no room.
  function pagesChange(ref: PDFRef, previous: PDFDict, object: PDFDict): void {
    for (const key of changedKeys(previous, object)) {
      if (key === 'Count') continue;
      if (key !== 'Kids') {
        other.push(`page tree ${ref.objectNumber} /${key}`);
        continue;
      }
      const oldKids = resolveBefore(previous.get(name('Kids')));
      const newKids = resolveAfter(object.get(name('Kids')));
      const kept = new Set(isArray(oldKids) ? oldKids.asArray().map(String) : []);
      const now = isArray(newKids) ? newKids.asArray() : [];
      const nowKeys = new Set(now.map(String));
      const added = now.filter((kid) => !kept.has(String(kid)));
      if ([...kept].some((kid) => !nowKeys.has(kid))) other.push('pages removed');
      for (const kid of added) {
        const page = resolveAfter(kid);
        const annots = isDict(page) ? resolveAfter(page.get(name('Annots'))) : undefined;
        const onlyStamps =
          isDict(page) &&
          nameOf(page, 'Type') === 'Page' &&
          page.get(name('Contents')) === undefined &&
          (annots === undefined || (isArray(annots) && annots.asArray().every(isSignatureField)));
        if (onlyStamps) adds.add('signature');
        else other.push('page added');
      }
    }
  }

  function acroFormChange(previous: PDFObject | undefined, next: PDFObject | undefined): void {
    const old = resolveBefore(previous);
    const now = resolveAfter(next);
    const oldDict = isDict(old) ? old : undefined;
    if (!isDict(now)) {
      other.push('catalog /AcroForm removed');
      return;
    }
    for (const key of changedKeys(oldDict, now)) {
      if (key === 'Fields') checkAppended(oldDict?.get(name(key)), now.get(name(key)), 'form /Fields');
      else if (!ALLOWED_ACROFORM_KEYS.has(key)) other.push(`form /${key}`);
    }
  }
};
