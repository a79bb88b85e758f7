/**
 * A certificate the revocation check refuses for good: revoked, unknown to its responder, or with nowhere to check it.
 * Unlike a responder that failed or did not answer, no later seal with it will pass, so it is not `retryable`.
 */
export class CertificateRefused extends Error {}
