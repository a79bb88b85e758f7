import { PDFArray, PDFDict, PDFDocument, PDFName } from '@cantoo/pdf-lib';

export interface DssContents {
  readonly present: boolean;
  readonly certs: number;
  readonly ocsps: number;
  readonly crls: number;
  readonly vriKeys: ReadonlyArray<string>;
}

/** What the catalog's /DSS holds, read with pdf-lib: how many certificates, OCSP responses and CRLs, the /VRI keys. */
export const dssOf = async (pdf: Uint8Array): Promise<DssContents> => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const dss = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const count = (key: string) => dss?.lookupMaybe(PDFName.of(key), PDFArray)?.size() ?? 0;
  return {
    present: dss !== undefined,
    certs: count('Certs'),
    ocsps: count('OCSPs'),
    crls: count('CRLs'),
    vriKeys:
      dss
        ?.lookupMaybe(PDFName.of('VRI'), PDFDict)
        ?.keys()
        .map((k) => k.decodeText()) ?? [],
  };
};
