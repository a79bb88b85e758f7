/**
 * `@paraphe/adapters/pdf`: PAdES sealing, the certificate of signature, and `verifySignedPdf`.
 *
 * Its declarations are written here rather than re-exported: the sealer's own name pkijs types, whose declarations
 * need the DOM library (CryptoKey, BufferSource…) that a Node project type-checked with `skipLibCheck: false` does not
 * have. Each value below is assigned from its implementation, so a type here that stops matching it does not compile.
 */
import type { CertificateRenderer, DocumentSealer, DocumentVerifier, SealingError } from '@paraphe/domain';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import * as pdf from './pdf/index.js';
import { makePdfDocumentVerifier as verifier } from './pdf/pdf-document-verifier.js';
import type { AsyncSigningKey, SigningKey, SigningKeyError } from './pdf/signing-key.js';

export type {
  AsyncSigningKey,
  SignatureAlgorithm,
  SigningKey,
  SigningKeyError,
} from './pdf/signing-key.js';
export { decodeTimelineFile } from './pdf/verification/timeline-file.js';
export type { NamedCheck } from './pdf/verification/verification-checks.js';
export { checksOf } from './pdf/verification/verification-checks.js';
export type { EvidenceInput, EvidenceVerification } from './pdf/verification/verify-evidence.js';
export { verifyEvidence } from './pdf/verification/verify-evidence.js';
export {
  type SignatureReport,
  type VerificationExpectations,
  type VerificationReport,
  verifySignedPdf,
} from './pdf/verify-signed-pdf.js';

/** A private key and its certificate chain (leaf first), PEM-encoded. */
export interface PemSigningIdentityConfig {
  readonly kind: 'pem';
  readonly privateKeyPem: string;
  readonly certificateChainPem: string | ReadonlyArray<string>;
}

/** A PKCS#12 (.p12/.pfx) file holding the key and its chain. */
export interface Pkcs12SigningIdentityConfig {
  readonly kind: 'pkcs12';
  readonly pkcs12: Uint8Array;
  readonly passphrase: string;
}

/** A key behind the signing-key port (a KMS, an HSM, another process): Paraphe never holds its bytes. */
export interface KeySigningIdentityConfig {
  readonly kind: 'key';
  readonly key: SigningKey;
  /** How long one signature may take before the seal fails with SEALING_FAILURE; 10 000 ms by default. */
  readonly timeoutMs?: number;
}

export type SigningIdentityConfig =
  | PemSigningIdentityConfig
  | Pkcs12SigningIdentityConfig
  | KeySigningIdentityConfig;

/** An RFC 3161 time-stamping authority: with one, signatures are PAdES B-T. */
export interface TimestampAuthorityConfig {
  readonly url: string;
  readonly timeoutMs?: number;
}

/**
 * PAdES baseline level (ETSI EN 319 142-1): B-B a CAdES signature; B-T plus a signature timestamp; B-LT plus the
 * certificates and revocation data (OCSP responses, or CRLs) of the signer's and the TSA's chains in the /DSS;
 * B-LTA plus a document timestamp over the whole file. Each step is an incremental update.
 */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** Proof that a certificate was not revoked at sealing time: an OCSP response, or the issuer's CRL (DER). */
export type RevocationEvidence =
  | {
      readonly kind: 'ocsp';
      readonly response: Uint8Array;
      readonly responderCertificates: ReadonlyArray<Uint8Array>;
    }
  | { readonly kind: 'crl'; readonly crl: Uint8Array };

/** Where B-LT gets revocation data for a certificate (DER) issued by `issuer` (DER); a failure refuses the seal. */
export interface RevocationSource {
  readonly revocationOf: (
    certificate: Uint8Array,
    issuer: Uint8Array,
  ) => TE.TaskEither<SealingError, RevocationEvidence>;
  /** A certificate's issuer (DER) when the chains lack it (the HTTP source reads the AIA caIssuers). */
  readonly issuerOf?: (certificate: Uint8Array) => TE.TaskEither<SealingError, Uint8Array>;
}

export interface HttpRevocationSourceOptions {
  /** Per request; 5 s by default. */
  readonly timeoutMs?: number;
  /** A fetched OCSP response or CRL is reused until its nextUpdate and at most this long (5 minutes by default). */
  readonly maxAgeMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => Date;
}

export interface PadesSealerConfig {
  readonly identity: SigningIdentityConfig;
  readonly timestampAuthority?: TimestampAuthorityConfig;
  /**
   * B-T by default with a TSA, B-B without; above B-B a TSA is required (INVALID_CONFIG otherwise). At B-LT and
   * B-LTA a seal whose revocation data cannot be had is refused (SEALING_FAILURE), never downgraded.
   */
  readonly level?: PadesLevel;
  /** Revocation data for B-LT; over HTTP (the certificates' OCSP responders, else CRLs) with a cache by default. */
  readonly revocation?: RevocationSource;
  /** Larger documents are refused with DOCUMENT_TOO_LARGE; `DEFAULT_MAX_DOCUMENT_BYTES` (25 MB) by default. */
  readonly maxDocumentBytes?: number;
  /** The signature's /Reason in the signer's language (default: "Electronic signature of the quote"). */
  readonly reason?: { readonly fr: string; readonly en: string };
  readonly contactInfo?: string;
  readonly location?: string;
}

export interface PdfCertificateRendererConfig extends PadesSealerConfig {
  /** Printed as the signer of the certificate's own seal; defaults to the certificate's common name. */
  readonly platformName?: string;
}

export type DevelopmentKeyAlgorithm = 'rsa-2048' | 'ecdsa-p256';

export interface DevelopmentIdentityOptions {
  readonly keyAlgorithm?: DevelopmentKeyAlgorithm;
  readonly notBefore?: Date;
  readonly commonName?: string;
  /** An OCSP responder the leaf names in its Authority Information Access. */
  readonly ocspUrl?: string;
  /** A CRL the leaf names in its CRL distribution points. */
  readonly crlUrl?: string;
}

/** A throwaway root and leaf for development and tests, never for production. */
export interface DevelopmentSigningIdentity extends PemSigningIdentityConfig {
  readonly rootCertificatePem: string;
  readonly leafCertificatePem: string;
}

/**
 * The development root, a signer and a TSA under it naming an OCSP responder and a CRL, with the TSA, the responder
 * and the CRL on 127.0.0.1: PAdES B-LTA with no outside service. DEVELOPMENT only, never for production; close it when done.
 */
export interface DevelopmentTrustServices {
  readonly identity: DevelopmentSigningIdentity;
  readonly timestampAuthorityUrl: string;
  readonly timestampAuthority: { readonly url: string };
  readonly ocspUrl: string;
  /** The root's CRL, also named by the signer and the TSA (a fallback to OCSP). */
  readonly crlUrl: string;
  readonly rootCertificatePem: string;
  readonly tsaCertificatePem: string;
  /** From now on the responder answers `revoked` (since `at`, default now) for this certificate, PEM or serial hex. */
  readonly revoke: (certificate: string, at?: Date) => void;
  readonly answered: () => { readonly tsa: number; readonly ocsp: number; readonly crl: number };
  readonly close: () => Promise<void>;
}

export interface DevelopmentTrustServicesOptions {
  readonly clock?: { readonly now: () => Date };
  readonly keyAlgorithm?: DevelopmentKeyAlgorithm;
  readonly commonName?: string;
  /** 0 (any free port) by default. */
  readonly tsaPort?: number;
  readonly ocspPort?: number;
  readonly crlPort?: number;
  /**
   * `'ocsp'` (default): the signer and the TSA name the responder (AIA) and the CRL; `'crl'`: the CRL only, so
   * poppler, which asks an AIA responder online, still trusts a file after the services are closed.
   */
  readonly revocationPointers?: 'ocsp' | 'crl';
}

/** What a loaded signing identity tells about itself. */
export interface LoadedSigningIdentity {
  readonly keyType: 'rsa' | 'ec';
  readonly algorithm: SigningKey['algorithm'];
  /** The chain, leaf first, DER-encoded. */
  readonly certificatesDer: ReadonlyArray<Uint8Array>;
  readonly leafFingerprint: string;
  readonly subjectCommonName: string;
}

export const DEFAULT_MAX_DOCUMENT_BYTES: number = pdf.DEFAULT_MAX_DOCUMENT_BYTES;
export const DEVELOPMENT_ROOT_NAME: string = pdf.DEVELOPMENT_ROOT_NAME;

export const makePadesDocumentSealer: (config: PadesSealerConfig) => DocumentSealer =
  pdf.makePadesDocumentSealer;
export const makePdfCertificateRenderer: (config: PdfCertificateRendererConfig) => CertificateRenderer =
  pdf.makePdfCertificateRenderer;
export const makePdfDocumentVerifier: () => DocumentVerifier = verifier;
export const startDevelopmentTrustServices: (
  options?: DevelopmentTrustServicesOptions,
) => Promise<DevelopmentTrustServices> = pdf.startDevelopmentTrustServices;
/** OCSP (by the certificate's AIA) and CRL (by its distribution point) over HTTP, with timeouts and a cache. */
export const makeHttpRevocationSource: (options?: HttpRevocationSourceOptions) => RevocationSource =
  pdf.makeHttpRevocationSource;
export const generateDevelopmentSigningIdentity: (
  options?: DevelopmentIdentityOptions,
) => Promise<DevelopmentSigningIdentity> = pdf.generateDevelopmentSigningIdentity;
/** The signing-key port over a key written with async/await (a KMS client): a throw or a rejection fails the seal. */
export const fromAsyncSigningKey: (key: AsyncSigningKey) => SigningKey = pdf.fromAsyncSigningKey;
/** The Left of a key written as a TaskEither: a short reason, free of secrets, key ids and hosts. */
export const signingKeyError: (reason: string) => SigningKeyError = pdf.signingKeyError;
/** Parses a signing identity once (the key matches a certificate of the chain); Left SEALING_FAILURE when it does not. */
export const loadSigningIdentity: (
  config: SigningIdentityConfig,
) => TE.TaskEither<SealingError, LoadedSigningIdentity> = pdf.loadSigningIdentity;
