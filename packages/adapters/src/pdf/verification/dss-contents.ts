import { PDFName, type PDFObject, PDFRawStream } from '@cantoo/pdf-lib';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { decodeStreamWithin } from '../bounded-stream-decode.js';
import { isArray, isDict, type PdfLayers } from './pdf-layers.js';
import type {
  DssCertificate,
  DssContents,
  DssCrl,
  DssOcspResponse,
  DssRevocationAnswer,
  RevocationStatus,
} from './report-types.js';
import {
  arrayBufferOf,
  digestName,
  digestOf,
  readableCertificate,
  signatureDigest,
  verifiesWithCertificate,
  x509Of,
} from './signer-info-check.js';

/** A DSS entry is a certificate, an OCSP response or a CRL: tens of kilobytes, never megabytes. */
const MAX_ENTRY_BYTES = 1024 * 1024;
/** All entries of one array together: a few compressed kilobytes can inflate to a megabyte each, thousands of times. */
const MAX_ARRAY_BYTES = 32 * 1024 * 1024;
const MAX_ENTRIES = 10_000;
const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';

const hex = (view: ArrayBuffer | Uint8Array): string => Buffer.from(view as Uint8Array).toString('hex');
const nameText = (x509: { subject: string }) => x509.subject.replace(/\n/g, ', ');
const der = (value: { toSchema(): asn1js.AsnType }): Uint8Array =>
  new Uint8Array(value.toSchema().toBER(false));

const entries = (
  layers: PdfLayers,
  at: number,
  array: PDFObject | undefined,
): ReadonlyArray<Uint8Array | undefined> => {
  const list = layers.resolve(array, at);
  if (!isArray(list)) return [];
  let budget = MAX_ARRAY_BYTES;
  return list
    .asArray()
    .slice(0, MAX_ENTRIES)
    .map((item) => {
      const stream = layers.resolve(item, at);
      const bytes =
        stream instanceof PDFRawStream && budget > 0
          ? decodeStreamWithin(stream, Math.min(MAX_ENTRY_BYTES, budget))
          : undefined;
      budget -= bytes?.length ?? 0;
      return bytes;
    });
};

const describeCertificate = (certificate: pkijs.Certificate): DssCertificate => {
  const x509 = x509Of(certificate);
  return {
    subject: nameText(x509),
    issuer: x509.issuer.replace(/\n/g, ', '),
    serialNumber: x509.serialNumber,
    sha256: x509.fingerprint256,
  };
};

const ocspStatus = (certStatus: unknown): RevocationStatus => {
  const tag = (certStatus as asn1js.BaseBlock | undefined)?.idBlock?.tagNumber;
  return tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown';
};

const readOcsp = (bytes: Uint8Array, known: ReadonlyArray<pkijs.Certificate>): DssOcspResponse => {
  const response = pkijs.OCSPResponse.fromBER(arrayBufferOf(bytes));
  const responseBytes = response.responseBytes;
  if (responseBytes === undefined || responseBytes.responseType !== OCSP_BASIC) throw new Error('not basic');
  const basic = pkijs.BasicOCSPResponse.fromBER(responseBytes.response.getValue());
  const answers = basic.tbsResponseData.responses.map((single): DssRevocationAnswer => {
    const algorithm = digestName(single.certID.hashAlgorithm.algorithmId) ?? 'sha1';
    const issuerNameHash = hex(single.certID.issuerNameHash.valueBlock.valueHexView);
    const answered = known.find(
      (c) =>
        c.serialNumber.isEqual(single.certID.serialNumber) &&
        hex(digestOf(algorithm, der(c.issuer))) === issuerNameHash,
    );
    return {
      certificate:
        answered === undefined
          ? `serial ${hex(single.certID.serialNumber.valueBlock.valueHexView)}`
          : nameText(x509Of(answered)),
      status: ocspStatus(single.certStatus),
    };
  });
  const algorithm = basic.signatureAlgorithm.algorithmId;
  const signatureValid = [...(basic.certs ?? []), ...known].some((c) =>
    verifiesWithCertificate(
      algorithm,
      signatureDigest(algorithm),
      basic.tbsResponseData.tbsView,
      new Uint8Array(basic.signature.valueBlock.valueHexView),
      c,
    ),
  );
  return { producedAt: basic.tbsResponseData.producedAt, answers, signatureValid };
};

const readCrl = (bytes: Uint8Array, known: ReadonlyArray<pkijs.Certificate>): DssCrl => {
  const crl = pkijs.CertificateRevocationList.fromBER(arrayBufferOf(bytes));
  const revoked = new Set(
    (crl.revokedCertificates ?? []).map((r) => hex(r.userCertificate.valueBlock.valueHexView)),
  );
  const covered = known.filter((c) => c.issuer.isEqual(crl.issuer));
  const algorithm = crl.signatureAlgorithm.algorithmId;
  const signatureValid = known.some(
    (c) =>
      c.subject.isEqual(crl.issuer) &&
      verifiesWithCertificate(
        algorithm,
        signatureDigest(algorithm),
        crl.tbsView,
        new Uint8Array(crl.signatureValue.valueBlock.valueHexView),
        c,
      ),
  );
  const issuer = covered[0] === undefined ? '' : x509Of(covered[0]).issuer.replace(/\n/g, ', ');
  return {
    issuer,
    thisUpdate: crl.thisUpdate.value,
    ...(crl.nextUpdate === undefined ? {} : { nextUpdate: crl.nextUpdate.value }),
    revokedCount: revoked.size,
    answers: covered.map((c) => ({
      certificate: nameText(x509Of(c)),
      status: revoked.has(hex(c.serialNumber.valueBlock.valueHexView)) ? 'revoked' : 'good',
    })),
    signatureValid,
  };
};

/** The certificates a DSS carries, parsed; those of the signatures are added by the caller for matching. */
export const dssCertificates = (layers: PdfLayers): ReadonlyArray<pkijs.Certificate> => {
  const dss = dssDictionary(layers);
  if (dss === undefined) return [];
  const last = layers.revisions.length - 1;
  return entries(layers, last, dss.get(PDFName.of('Certs'))).flatMap((bytes) => {
    try {
      if (bytes === undefined) return [];
      const certificate = pkijs.Certificate.fromBER(arrayBufferOf(bytes));
      return readableCertificate(certificate) ? [certificate] : [];
    } catch {
      return [];
    }
  });
};

const dssDictionary = (layers: PdfLayers) => {
  const last = layers.revisions.length - 1;
  const catalogRef = layers.catalogRef(last);
  const catalog = catalogRef === undefined ? undefined : layers.lookup(catalogRef, last);
  if (!isDict(catalog)) return undefined;
  const dss = layers.resolve(catalog.get(PDFName.of('DSS')), last);
  return isDict(dss) ? dss : undefined;
};

/** Reads the document security store of the file's last revision; undefined when it has none. */
export const readDss = (
  layers: PdfLayers,
  signatureCertificates: ReadonlyArray<pkijs.Certificate>,
): DssContents | undefined => {
  const dss = dssDictionary(layers);
  if (dss === undefined) return undefined;
  const last = layers.revisions.length - 1;
  let unreadable = 0;
  const certificates = dssCertificates(layers);
  const certEntries = entries(layers, last, dss.get(PDFName.of('Certs')));
  unreadable += certEntries.length - certificates.length;
  const known = [...certificates, ...signatureCertificates];
  const read = <T>(bytes: Uint8Array | undefined, parse: (b: Uint8Array) => T): T[] => {
    try {
      if (bytes !== undefined) return [parse(bytes)];
    } catch {
      // counted below
    }
    unreadable += 1;
    return [];
  };
  const ocspResponses = entries(layers, last, dss.get(PDFName.of('OCSPs'))).flatMap((b) =>
    read(b, (bytes) => readOcsp(bytes, known)),
  );
  const crls = entries(layers, last, dss.get(PDFName.of('CRLs'))).flatMap((b) =>
    read(b, (bytes) => readCrl(bytes, known)),
  );
  const vri = layers.resolve(dss.get(PDFName.of('VRI')), last);
  return {
    certificates: certificates.map(describeCertificate),
    ocspResponses,
    crls,
    vriCount: isDict(vri) ? vri.keys().length : 0,
    unreadable,
  };
};
