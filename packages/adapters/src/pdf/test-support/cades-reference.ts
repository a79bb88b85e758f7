import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from '../cms-oids.js';
import { sha256Algorithm, signatureAlgorithm, signingCertificateV2 } from '../cms-template.js';
import type { SigningIdentity } from '../signing-identity.js';

const buf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** The signed attributes built as whole pkijs objects, as the sealer did before it spliced DER pieces. */
export const referenceSignedAttributes = (
  identity: SigningIdentity,
  contentDigest: Uint8Array,
): pkijs.SignedAndUnsignedAttributes =>
  new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({
        type: OID.contentType,
        values: [new asn1js.ObjectIdentifier({ value: OID.data })],
      }),
      new pkijs.Attribute({
        type: OID.messageDigest,
        values: [new asn1js.OctetString({ valueHex: buf(contentDigest) })],
      }),
      signingCertificateV2(identity),
    ],
  });

/** The whole ContentInfo encoded the slow way by pkijs, for comparison with the spliced encoding. */
export const referenceCms = (
  identity: SigningIdentity,
  contentDigest: Uint8Array,
  signatureValue: Uint8Array,
  timestampToken?: Uint8Array,
): Uint8Array => {
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: identity.leaf.issuer,
      serialNumber: identity.leaf.serialNumber,
    }),
    digestAlgorithm: sha256Algorithm(),
    signedAttrs: referenceSignedAttributes(identity, contentDigest),
    signatureAlgorithm: signatureAlgorithm(identity),
    signature: new asn1js.OctetString({ valueHex: buf(signatureValue) }),
  });
  if (timestampToken !== undefined) {
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [
        new pkijs.Attribute({
          type: OID.signatureTimeStampToken,
          values: [asn1js.fromBER(buf(timestampToken)).result],
        }),
      ],
    });
  }
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Algorithm()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [...identity.certificates],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
};
