export { makePdfCertificateRenderer, type PdfCertificateRendererConfig } from './certificate-renderer.js';
export {
  DEVELOPMENT_ROOT_NAME,
  type DevelopmentIdentityOptions,
  type DevelopmentKeyAlgorithm,
  type DevelopmentSigningIdentity,
  generateDevelopmentSigningIdentity,
} from './development-identity.js';
export {
  type DevelopmentTrustServices,
  type DevelopmentTrustServicesOptions,
  startDevelopmentTrustServices,
} from './development-trust-services.js';
export { DEFAULT_MAX_DOCUMENT_BYTES } from './load-pdf.js';
export { makePadesDocumentSealer, type PadesSealerConfig } from './pades-document-sealer.js';
export { PADES_LEVELS, type PadesLevel } from './pades-level.js';
export {
  type HttpRevocationSourceOptions,
  makeHttpRevocationSource,
  type RevocationEvidence,
  type RevocationSource,
} from './revocation-source.js';
export type {
  KeySigningIdentityConfig,
  PemSigningIdentityConfig,
  Pkcs12SigningIdentityConfig,
  SigningIdentityConfig,
} from './signing-identity.js';
export { loadSigningIdentity } from './signing-identity-loader.js';
export {
  type AsyncSigningKey,
  fromAsyncSigningKey,
  type SignatureAlgorithm,
  type SigningKey,
  type SigningKeyError,
  signingKeyError,
} from './signing-key.js';
export type { TimestampAuthorityConfig } from './timestamp-client.js';
export {
  type SignatureReport,
  type VerificationExpectations,
  type VerificationReport,
  verifySignedPdf,
} from './verify-signed-pdf.js';
