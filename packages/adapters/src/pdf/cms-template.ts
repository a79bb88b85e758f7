import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.js';
import { contextDer, derOf, sequenceDer, setDer } from './der-splice.js';
import type { SigningIdentity } from './signing-identity.js';

/**
 * Everything of a CAdES SignedData that depends only on the identity, DER-encoded once with pkijs/asn1js.
 * A seal then encodes only the message digest, the signature value and the optional timestamp, and splices.
 */
export interface CmsTemplate {
  /** The contentType (id-data) attribute. */
  readonly contentTypeAttribute: Uint8Array;
  /** RFC 5035 signing-certificate-v2 attribute, binding the leaf's hash, issuer and serial. */
  readonly signingCertificateAttribute: Uint8Array;
  /** SignerInfo up to its signed attributes: version, sid (issuer and serial), digestAlgorithm. */
  readonly signerInfoHead: ReadonlyArray<Uint8Array>;
  readonly signatureAlgorithm: Uint8Array;
  /** SignedData up to its signerInfos: version, digestAlgorithms, encapContentInfo, certificates. */
  readonly signedDataHead: ReadonlyArray<Uint8Array>;
  readonly signedDataOid: Uint8Array;
}

const buf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;
const schemaDer = (value: { toSchema(): asn1js.AsnType }): Uint8Array => derOf(value.toSchema());

export const sha256Algorithm = (): pkijs.AlgorithmIdentifier =>
  new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });

// RFC 4055 RSASSA-PSS-params: SHA-256 for the hash and MGF1, a salt as long as the hash; the trailer is the default.
const pssParameters = (): pkijs.RSASSAPSSParams =>
  new pkijs.RSASSAPSSParams({
    hashAlgorithm: sha256Algorithm(),
    maskGenAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.mgf1,
      algorithmParams: sha256Algorithm().toSchema(),
    }),
    saltLength: 32,
  });

export const signatureAlgorithm = (identity: SigningIdentity): pkijs.AlgorithmIdentifier => {
  switch (identity.algorithm) {
    case 'rsa-pkcs1v15-sha256':
      return new pkijs.AlgorithmIdentifier({
        algorithmId: OID.sha256WithRsa,
        algorithmParams: new asn1js.Null(),
      });
    case 'rsa-pss-sha256':
      return new pkijs.AlgorithmIdentifier({
        algorithmId: OID.rsassaPss,
        algorithmParams: pssParameters().toSchema(),
      });
    case 'ecdsa-p256-sha256':
      return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
  }
};

// RFC 5035 SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 omits the
// hash algorithm because SHA-256 is its DEFAULT, and binds issuer + serial so the certificate cannot be swapped.
export const signingCertificateV2 = (identity: SigningIdentity): pkijs.Attribute => {
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

const buildTemplate = (identity: SigningIdentity): CmsTemplate => ({
  contentTypeAttribute: schemaDer(
    new pkijs.Attribute({
      type: OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OID.data })],
    }),
  ),
  signingCertificateAttribute: schemaDer(signingCertificateV2(identity)),
  signerInfoHead: [
    derOf(new asn1js.Integer({ value: 1 })),
    schemaDer(
      new pkijs.IssuerAndSerialNumber({
        issuer: identity.leaf.issuer,
        serialNumber: identity.leaf.serialNumber,
      }),
    ),
    schemaDer(sha256Algorithm()),
  ],
  signatureAlgorithm: schemaDer(signatureAlgorithm(identity)),
  signedDataHead: [
    derOf(new asn1js.Integer({ value: 1 })),
    setDer(schemaDer(sha256Algorithm())),
    schemaDer(new pkijs.EncapsulatedContentInfo({ eContentType: OID.data })),
    // certificates [0] IMPLICIT CertificateSet: the chain's own DER, leaf first.
    contextDer(0, ...identity.certificatesDer),
  ],
  signedDataOid: derOf(new asn1js.ObjectIdentifier({ value: OID.signedData })),
});

const templates = new WeakMap<SigningIdentity, CmsTemplate>();

/** The identity's template, built on first use: identities are parsed once per sealer and reused. */
export const cmsTemplateFor = (identity: SigningIdentity): CmsTemplate => {
  let template = templates.get(identity);
  if (template === undefined) {
    template = buildTemplate(identity);
    templates.set(identity, template);
  }
  return template;
};

export interface SignedAttributes {
  /** As signed: tagged with the universal SET tag, as RFC 5652 §5.4 requires for the signature input. */
  readonly toSign: Uint8Array;
  /** As stored in SignerInfo: `signedAttrs [0] IMPLICIT`. */
  readonly inSignerInfo: Uint8Array;
}

/**
 * The CAdES signed attributes for one digest. PAdES forbids signing-time (the time is the dictionary's /M).
 * Their order (contentType, messageDigest, signingCertificateV2) is also the DER order of a SET OF, which
 * sorts by encoding: the three start 30 18, 30 2F and 30 82.
 */
export const signedAttributesFor = (template: CmsTemplate, contentDigest: Uint8Array): SignedAttributes => {
  const messageDigest = schemaDer(
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: buf(contentDigest) })],
    }),
  );
  const attributes = [template.contentTypeAttribute, messageDigest, template.signingCertificateAttribute];
  return { toSign: setDer(...attributes), inSignerInfo: contextDer(0, ...attributes) };
};

/** DER of the ContentInfo wrapping the SignedData, with the timestamp token as an unsigned attribute if given. */
export const assembleCms = (
  template: CmsTemplate,
  signedAttributes: SignedAttributes,
  signatureValue: Uint8Array,
  timestampToken?: Uint8Array,
): Uint8Array => {
  const unsigned =
    timestampToken === undefined
      ? []
      : [
          contextDer(
            1,
            schemaDer(
              new pkijs.Attribute({
                type: OID.signatureTimeStampToken,
                values: [asn1js.fromBER(buf(timestampToken)).result],
              }),
            ),
          ),
        ];
  const signerInfo = sequenceDer(
    ...template.signerInfoHead,
    signedAttributes.inSignerInfo,
    template.signatureAlgorithm,
    derOf(new asn1js.OctetString({ valueHex: buf(signatureValue) })),
    ...unsigned,
  );
  const signedData = sequenceDer(...template.signedDataHead, setDer(signerInfo));
  return sequenceDer(template.signedDataOid, contextDer(0, signedData));
};
