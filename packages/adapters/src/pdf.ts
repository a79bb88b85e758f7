/** `@paraphe/adapters/pdf`: PAdES sealing, the certificate of signature, and `verifySignedPdf`. */
export * from './pdf/index.js';
export { makePdfDocumentVerifier } from './pdf/pdf-document-verifier.js';
