export * from './clock/clocks.js';
export * from './random/randoms.js';
export * from './mail/in-memory/in-memory-mailer.js';
export * from './sms/in-memory/in-memory-sms-sender.js';
export * from './crm/in-memory/in-memory-crm.js';
export * from './storage/index.js';
export { generateDevelopmentSigningIdentity } from './pdf/development-identity.js';
export { makePadesDocumentSealer, type PadesSealerConfig } from './pdf/pades-document-sealer.js';
// TEMP export { makePdfCertificateRenderer } from './pdf/certificate-renderer.js';
