import * as pkijs from 'pkijs';
import type { TimestampCheck } from './report-types.js';
import {
  arrayBufferOf,
  checkSignerInfo,
  digestName,
  digestOf,
  parseSignedData,
  type SignerInfoCheck,
  x509Of,
} from './signer-info-check.js';

const TST_INFO = '1.2.840.113549.1.9.16.1.4';

const failed = (problem: string): TimestampCheck => ({
  imprintMatches: false,
  tsaSignatureValid: false,
  problems: [problem],
});

/**
 * Checks an RFC 3161 TimeStampToken over `stamped` (the signature value for a signature timestamp, the signed byte
 * ranges for a document timestamp): its imprint, and the TSA's own CMS signature over the TSTInfo.
 */
export const checkTimestampToken = (
  token: Uint8Array,
  stamped: ReadonlyArray<Uint8Array>,
  extraCertificates: ReadonlyArray<pkijs.Certificate> = [],
): TimestampCheck => {
  let signedData: pkijs.SignedData;
  let info: pkijs.TSTInfo;
  let eContent: Uint8Array;
  try {
    signedData = parseSignedData(token);
    if (signedData.encapContentInfo.eContentType !== TST_INFO) return failed('token-not-tstinfo');
    const content = signedData.encapContentInfo.eContent;
    if (content === undefined) return failed('token-not-tstinfo');
    eContent = new Uint8Array(content.getValue());
    info = pkijs.TSTInfo.fromBER(arrayBufferOf(eContent));
  } catch {
    return failed('token-unreadable');
  }
  const problems: string[] = [];
  const algorithm = digestName(info.messageImprint.hashAlgorithm.algorithmId);
  const imprintMatches =
    algorithm !== undefined &&
    digestOf(algorithm, ...stamped).equals(
      Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView),
    );
  if (!imprintMatches) problems.push('timestamp-imprint-mismatch');
  let signer: SignerInfoCheck | undefined;
  try {
    signer = checkSignerInfo(signedData, [eContent], extraCertificates);
  } catch {
    signer = undefined;
  }
  const tsaSignatureValid =
    signer?.digestMatches === true && signer.signatureVerifies && signer.signingCertificateBound !== false;
  if (!tsaSignatureValid) problems.push('timestamp-signature-invalid');
  const x509 = signer?.certificate === undefined ? undefined : x509Of(signer.certificate);
  return {
    genTime: info.genTime,
    imprintMatches,
    tsaSignatureValid,
    ...(x509 === undefined
      ? {}
      : { tsaName: x509.subject.replace(/\n/g, ', '), tsaCertificateSha256: x509.fingerprint256 }),
    problems,
  };
};
