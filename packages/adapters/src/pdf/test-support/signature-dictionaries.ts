import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, type PDFNumber } from '@cantoo/pdf-lib';
import * as pkijs from 'pkijs';

const TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';

export interface SignatureDictionary {
  readonly type: string | undefined;
  readonly subFilter: string | undefined;
  readonly byteRange: readonly [number, number, number, number];
  /** The DER in /Contents, padding removed. */
  readonly contents: Uint8Array;
  /** The /VRI key of this signature: upper-case hex SHA-1 of the whole /Contents string. */
  readonly vriKey: string;
  /** For a CMS signature: its signature value and its signature timestamp token, if any. */
  readonly signatureValue: Uint8Array;
  readonly timestampToken: Uint8Array | undefined;
}

const derLength = (der: Uint8Array): number => {
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first;
  let length = 0;
  for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + (der[2 + i] ?? 0);
  return 2 + (first & 0x7f) + length;
};

/** Every signature field's value of a PDF, in the order of the AcroForm's /Fields, read with pdf-lib and pkijs. */
export const signaturesOf = async (pdf: Uint8Array): Promise<ReadonlyArray<SignatureDictionary>> => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const fields = doc.catalog
    .lookupMaybe(PDFName.of('AcroForm'), PDFDict)
    ?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const found: SignatureDictionary[] = [];
  for (let i = 0; i < (fields?.size() ?? 0); i++) {
    const value = fields?.lookupMaybe(i, PDFDict)?.lookupMaybe(PDFName.of('V'), PDFDict);
    const hex = value?.lookupMaybe(PDFName.of('Contents'), PDFHexString);
    const range = value?.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
    if (value === undefined || hex === undefined || range === undefined) continue;
    const whole = hex.asBytes();
    // NSS writes indefinite-length BER (0x80): then the parser finds the end, not the header.
    const contents = whole[1] === 0x80 ? whole : whole.subarray(0, derLength(whole));
    const signer = new pkijs.SignedData({
      schema: pkijs.ContentInfo.fromBER(contents.slice().buffer as ArrayBuffer).content,
    }).signerInfos[0];
    const token = signer?.unsignedAttrs?.attributes.find((a) => a.type === TIMESTAMP_TOKEN)?.values[0];
    found.push({
      type: value.lookupMaybe(PDFName.of('Type'), PDFName)?.decodeText(),
      subFilter: value.lookupMaybe(PDFName.of('SubFilter'), PDFName)?.decodeText(),
      byteRange: range.asArray().map((n) => (n as PDFNumber).asNumber()) as unknown as readonly [
        number,
        number,
        number,
        number,
      ],
      contents,
      vriKey: createHash('sha1').update(whole).digest('hex').toUpperCase(),
      signatureValue: new Uint8Array(signer?.signature.valueBlock.valueHexView ?? []),
      timestampToken: token === undefined ? undefined : new Uint8Array(token.toBER(false)),
    });
  }
  return found;
};
