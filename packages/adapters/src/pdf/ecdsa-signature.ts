import * as asn1js from 'asn1js';

/** Bytes of each of r and s in a raw P-256 signature (IEEE P1363, as WebCrypto and PKCS#11 answer). */
const P256_SCALAR_BYTES = 32;

const derInteger = (unsigned: Uint8Array): asn1js.Integer => {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const magnitude = unsigned.subarray(start);
  // DER INTEGERs are two's complement: a leading bit set needs a zero byte to stay positive.
  const bytes =
    (magnitude[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), magnitude]) : Buffer.from(magnitude);
  return new asn1js.Integer({ valueHex: bytes });
};

const isDerSignature = (signature: Uint8Array): boolean => {
  const parsed = asn1js.fromBER(signature.slice().buffer as ArrayBuffer);
  if (parsed.offset !== signature.length || !(parsed.result instanceof asn1js.Sequence)) return false;
  const parts = parsed.result.valueBlock.value;
  return parts.length === 2 && parts.every((part) => part instanceof asn1js.Integer);
};

/**
 * The DER `ECDSA-Sig-Value` CMS requires (RFC 5753), from what an ECDSA key answered: DER is kept as it is, raw
 * r‖s is re-encoded; anything else is undefined. The leaf's public key checks the result either way.
 */
export const ecdsaSignatureToDer = (signature: Uint8Array): Uint8Array | undefined => {
  if (signature.length > 0 && signature[0] === 0x30 && isDerSignature(signature)) return signature;
  if (signature.length !== 2 * P256_SCALAR_BYTES) return undefined;
  const sequence = new asn1js.Sequence({
    value: [
      derInteger(signature.subarray(0, P256_SCALAR_BYTES)),
      derInteger(signature.subarray(P256_SCALAR_BYTES)),
    ],
  });
  return new Uint8Array(sequence.toBER(false));
};
