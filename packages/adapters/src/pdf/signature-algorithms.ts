/** Hash of each X.509 signature algorithm a CA or responder may use (RSA PKCS#1 v1.5 and ECDSA), for node's verify. */
const SIGNATURE_HASH: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

export const hashOfSignatureAlgorithm = (oid: string): string | undefined => SIGNATURE_HASH[oid];
