import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFName, type PDFObject, type PDFRef } from '@cantoo/pdf-lib';
import { withoutChangeTracking } from './change-tracking.js';
import { concatBytes, reopenForUpdate, saveIncrement } from './incremental-update.js';
import type { ValidationData } from './validation-data.js';

/**
 * ETSI EN 319 142-1 §5.4.2.2: a /VRI entry is keyed by the upper-case hex SHA-1 of the signature's /Contents
 * (the whole string, padding included, as iText and Adobe compute it for a CAdES signature).
 */
export const vriKeyOf = (signatureContents: Uint8Array): string =>
  createHash('sha1').update(signatureContents).digest('hex').toUpperCase();

const name = (key: string): PDFName => PDFName.of(key);

/**
 * Appends an incremental update holding the document security store (PAdES B-LT): the certificates, OCSP
 * responses and CRLs, each as a stream, and a /VRI entry for the given signature. An existing /DSS (an earlier
 * B-LT signature) is carried over into the new one: its objects are referenced, never rewritten.
 */
export const appendDss = async (
  signed: Uint8Array,
  data: ValidationData,
  signatureContents: Uint8Array,
): Promise<Uint8Array> => {
  const pdf = await reopenForUpdate(signed);
  const { context } = pdf;
  const earlier = pdf.catalog.lookupMaybe(name('DSS'), PDFDict);
  const dssRef = await withoutChangeTracking(context, () => {
    const streams = (items: ReadonlyArray<Uint8Array>): PDFRef[] =>
      items.map((bytes) => context.register(context.flateStream(bytes)));
    const added = {
      Certs: streams(data.certificates),
      OCSPs: streams(data.ocsps),
      CRLs: streams(data.crls),
    };
    const kept = (key: string): PDFObject[] => earlier?.lookupMaybe(name(key), PDFArray)?.asArray() ?? [];
    const dss = context.obj({ Type: 'DSS' });
    for (const [key, refs] of Object.entries(added)) {
      const all = [...kept(key), ...refs];
      if (all.length > 0) dss.set(name(key), context.obj(all));
    }
    const vri = context.obj({});
    for (const [key, value] of earlier?.lookupMaybe(name('VRI'), PDFDict)?.entries() ?? [])
      vri.set(key, value);
    const entry = context.obj({ Type: 'VRI' });
    if (added.Certs.length > 0) entry.set(name('Cert'), context.obj(added.Certs));
    if (added.OCSPs.length > 0) entry.set(name('OCSP'), context.obj(added.OCSPs));
    if (added.CRLs.length > 0) entry.set(name('CRL'), context.obj(added.CRLs));
    vri.set(name(vriKeyOf(signatureContents)), entry);
    dss.set(name('VRI'), vri);
    return context.register(dss);
  });
  // Tracked: the catalog is an object of the earlier revision, so the update rewrites it.
  pdf.catalog.set(name('DSS'), dssRef);
  return concatBytes(signed, await saveIncrement(pdf));
};
