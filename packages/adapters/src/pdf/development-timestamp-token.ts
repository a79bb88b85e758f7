import { createHash, type KeyObject, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.js';

/** The TSA's certificate and key, as the development TSA signs with them. */
export interface TimestampSigner {
  readonly certificate: pkijs.Certificate;
  readonly certificateDer: Uint8Array;
  readonly privateKey: KeyObject;
}

export const TST_INFO_CONTENT_TYPE = '1.2.840.113549.1.9.16.1.4';

/** What the token states: everything but the signature. */
export interface TokenContent {
  readonly policy: string;
  readonly messageImprint: pkijs.MessageImprint;
  /** Positive, at most 20 octets (RFC 3161 §2.4.2), unique per token. */
  readonly serialNumber: Uint8Array;
  /** Whole seconds: DER's GeneralizedTime then has no fraction to get wrong. */
  readonly genTime: Date;
  readonly nonce?: asn1js.Integer;
  readonly includeCertificate: boolean;
}

// A copy of exactly these bytes: a Buffer's slice() shares its (pooled, larger) ArrayBuffer.
const buf = (bytes: Uint8Array): ArrayBuffer => Uint8Array.from(bytes).buffer as ArrayBuffer;
const der = (value: { toSchema(): asn1js.AsnType }): Uint8Array =>
  new Uint8Array(value.toSchema().toBER(false));
const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

const attribute = (type: string, value: asn1js.AsnType): pkijs.Attribute =>
  new pkijs.Attribute({ type, values: [value] });

// RFC 5816: ESSCertIDv2 { certHash (SHA-256, the DEFAULT algorithm, so omitted), issuerSerial }.
const signingCertificateV2 = (signer: TimestampSigner): pkijs.Attribute => {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({
        names: [new pkijs.GeneralName({ type: 4, value: signer.certificate.issuer })],
      }).toSchema(),
      signer.certificate.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: buf(sha256(signer.certificateDer)) }), issuerSerial],
  });
  return attribute(
    OID.signingCertificateV2,
    new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] }),
  );
};

const compareBytes = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

const signatureAlgorithmOf = (key: KeyObject): pkijs.AlgorithmIdentifier =>
  key.asymmetricKeyType === 'rsa'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });

const tstInfoOf = (signer: TimestampSigner, content: TokenContent): pkijs.TSTInfo =>
  new pkijs.TSTInfo({
    version: 1,
    policy: content.policy,
    messageImprint: content.messageImprint,
    serialNumber: new asn1js.Integer({ valueHex: buf(content.serialNumber) }),
    genTime: content.genTime,
    accuracy: new pkijs.Accuracy({ seconds: 1 }),
    ...(content.nonce === undefined ? {} : { nonce: content.nonce }),
    tsa: new pkijs.GeneralName({ type: 4, value: signer.certificate.subject }),
  });

/** The TimeStampToken: a CMS SignedData over the TSTInfo, signed by the TSA with Node's crypto. */
export const timestampToken = (signer: TimestampSigner, content: TokenContent): pkijs.ContentInfo => {
  const tstInfoDer = der(tstInfoOf(signer, content));
  // DER orders a SET OF by encoding; the same order must be signed and stored.
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: TST_INFO_CONTENT_TYPE })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: buf(sha256(tstInfoDer)) })),
    signingCertificateV2(signer),
  ]
    .map((a) => ({ a, encoded: der(a) }))
    .sort((x, y) => compareBytes(x.encoded, y.encoded));
  const toSign = new asn1js.Set({ value: attributes.map(({ a }) => a.toSchema()) }).toBER(false);
  const signature = sign('sha256', new Uint8Array(toSign), signer.privateKey);
  const signedData = new pkijs.SignedData({
    version: 3,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: TST_INFO_CONTENT_TYPE,
      eContent: new asn1js.OctetString({ valueHex: buf(tstInfoDer) }),
    }),
    ...(content.includeCertificate ? { certificates: [signer.certificate] } : {}),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: signer.certificate.issuer,
          serialNumber: signer.certificate.serialNumber,
        }),
        digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: attributes.map(({ a }) => a),
        }),
        signatureAlgorithm: signatureAlgorithmOf(signer.privateKey),
        signature: new asn1js.OctetString({ valueHex: buf(new Uint8Array(signature)) }),
      }),
    ],
  });
  return new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema() });
};
