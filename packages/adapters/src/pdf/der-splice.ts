import * as asn1js from 'asn1js';

export const TagClass = { universal: 1, contextSpecific: 3 } as const;
export const UniversalTag = { sequence: 16, set: 17 } as const;

/**
 * DER of a constructed element (SEQUENCE, SET, [n] IMPLICIT) whose children are already DER-encoded.
 * asn1js writes the identifier and the length header; the children are copied verbatim, which is what lets
 * the CMS be assembled from pieces encoded once per identity instead of re-encoding every structure per seal.
 */
export const constructedDer = (
  tagClass: number,
  tagNumber: number,
  children: ReadonlyArray<Uint8Array>,
): Uint8Array => {
  const block = new asn1js.Primitive({ idBlock: { tagClass, tagNumber }, valueHex: Buffer.concat(children) });
  // A primitive block writes its value bytes as they are; only the identifier's constructed bit differs
  // from a SEQUENCE, SET or [n] built by asn1js, so flipping it yields the same TLV.
  block.idBlock.isConstructed = true;
  return new Uint8Array(block.toBER(false));
};

export const sequenceDer = (...children: ReadonlyArray<Uint8Array>): Uint8Array =>
  constructedDer(TagClass.universal, UniversalTag.sequence, children);

/** Children stay in the given order: DER wants a SET OF sorted by encoding, which callers ensure. */
export const setDer = (...children: ReadonlyArray<Uint8Array>): Uint8Array =>
  constructedDer(TagClass.universal, UniversalTag.set, children);

export const contextDer = (tagNumber: number, ...children: ReadonlyArray<Uint8Array>): Uint8Array =>
  constructedDer(TagClass.contextSpecific, tagNumber, children);

export const derOf = (value: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array =>
  new Uint8Array(value.toBER(false));
