import { createHash, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SigningIdentity } from './signing-identity.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());
const buf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

const sha256Algorithm = (): pkijs.AlgorithmIdentifier =>
  new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });

const signatureAlgorithm = (identity: SigningIdentity): pkijs.AlgorithmIdentifier =>
  identity.keyType === 'rsa'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });

// RFC 5035 SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 omits the
// hash algorithm because SHA-256 is its DEFAULT, and binds issuer + serial so the certificate cannot be swapped.
const signingCertificateV2 = (identity: SigningIdentity): pkijs.Attribute => {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({
        names: [new pkijs.GeneralName({ type: 4, value: identity.leaf.issuer })],
      }).toSchema(),
      identity.leaf.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: buf(identity.leafSha256) }), issuerSerial],
  });
  return new pkijs.Attribute({
    type: OID.signingCertificateV2,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
  });
};

const schemaCache = new WeakMap<SigningIdentity, ReadonlyArray<asn1js.AsnType>>();
const certificateSchemas = (identity: SigningIdentity): ReadonlyArray<asn1js.AsnType> => {
  let cached = schemaCache.get(identity);
  if (cached === undefined) {
    cached = identity.certificatesDer.map((der) => asn1js.fromBER(buf(der)).result);
    schemaCache.set(identity, cached);
  }
  return cached;
};

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
  // PAdES forbids the signing-time attribute: the time lives in the signature dictionary's /M.
  const attributes = [
    new pkijs.Attribute({
      type: OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OID.data })],
    }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: buf(contentDigest) })],
    }),
    signingCertificateV2(identity),
  ];
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const implicitlyTagged = new Uint8Array(signedAttrs.toSchema().toBER(false));
  // The signature covers the attributes DER-encoded with their universal SET tag, not the [0] IMPLICIT tag.
  const toSign = implicitlyTagged.slice();
  toSign[0] = 0x31;
  const signatureValue = new Uint8Array(sign('sha256', toSign, identity.privateKey));

  const encode = (timestampToken?: Uint8Array): Uint8Array => {
    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({
        issuer: identity.leaf.issuer,
        serialNumber: identity.leaf.serialNumber,
      }),
      digestAlgorithm: sha256Algorithm(),
      signedAttrs,
      signatureAlgorithm: signatureAlgorithm(identity),
      signature: new asn1js.OctetString({ valueHex: buf(signatureValue) }),
    });
    if (timestampToken !== undefined) {
      const token = asn1js.fromBER(buf(timestampToken)).result;
      signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
        type: 1,
        attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [token] })],
      });
    }
    const signedData = new pkijs.SignedData({
      version: 1,
      digestAlgorithms: [sha256Algorithm()],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      signerInfos: [signerInfo],
    });
    const schema = signedData.toSchema(true);
    // pkijs re-parses each certificate on every encoding (most of the signing time): the chain's parsed ASN.1
    // is inserted instead as `certificates [0] IMPLICIT`, right after encapContentInfo.
    schema.valueBlock.value.splice(
      3,
      0,
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [...certificateSchemas(identity)],
      }),
    );
    const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: schema });
    return new Uint8Array(contentInfo.toSchema().toBER(false));
  };
  return { signatureValue, encode };
};

export const sha256Of = sha256;
