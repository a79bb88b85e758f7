/**
 * What the verifier reports about a /DSS and a timestamp token, as plain data. Kept apart from the code that
 * reads them: that code names pkijs types, whose declarations need the DOM library a consumer's Node project lacks.
 */

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface DssCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly sha256: string;
}

export interface DssRevocationAnswer {
  /** The certificate it answers for, when the /DSS or a signature carries it; else its serial number. */
  readonly certificate: string;
  readonly status: RevocationStatus;
}

export interface DssOcspResponse {
  readonly producedAt?: Date;
  readonly answers: ReadonlyArray<DssRevocationAnswer>;
  /** The responder's signature verifies with a certificate the response, the /DSS or a signature carries. */
  readonly signatureValid: boolean;
}

export interface DssCrl {
  readonly issuer: string;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  readonly revokedCount: number;
  readonly answers: ReadonlyArray<DssRevocationAnswer>;
  readonly signatureValid: boolean;
}

export interface DssContents {
  readonly certificates: ReadonlyArray<DssCertificate>;
  readonly ocspResponses: ReadonlyArray<DssOcspResponse>;
  readonly crls: ReadonlyArray<DssCrl>;
  readonly vriCount: number;
  /** Entries that are not readable certificates, OCSP responses or CRLs. */
  readonly unreadable: number;
}

export interface TimestampCheck {
  readonly genTime?: Date;
  /** The token's message imprint is the hash of what it should timestamp. */
  readonly imprintMatches: boolean;
  /** The TSA's signature on the token verifies with the certificate it carries (or one from the /DSS). */
  readonly tsaSignatureValid: boolean;
  readonly tsaName?: string;
  readonly tsaCertificateSha256?: string;
  readonly problems: ReadonlyArray<string>;
}
