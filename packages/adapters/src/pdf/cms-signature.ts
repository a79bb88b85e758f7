import { createHash, sign } from 'node:crypto';
import { assembleCms, cmsTemplateFor, signedAttributesFor } from './cms-template.js';
import type { SigningIdentity } from './signing-identity.js';

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

export interface CadesSignature {
  /** The raw signature value, which an RFC 3161 timestamp (PAdES B-T) must cover. */
  readonly signatureValue: Uint8Array;
  /** DER of the CMS ContentInfo, with the timestamp token as an unsigned attribute when given. */
  readonly encode: (timestampToken?: Uint8Array) => Uint8Array;
}

/** Signs a detached SHA-256 digest as CMS SignedData with the CAdES attributes PAdES B-B requires. */
export const createCadesSignature = (
  identity: SigningIdentity,
  contentDigest: Uint8Array,
): CadesSignature => {
  const template = cmsTemplateFor(identity);
  const attributes = signedAttributesFor(template, contentDigest);
  const signatureValue = new Uint8Array(sign('sha256', attributes.toSign, identity.privateKey));
  return {
    signatureValue,
    encode: (timestampToken) => assembleCms(template, attributes, signatureValue, timestampToken),
  };
};

export const sha256Of = sha256;
