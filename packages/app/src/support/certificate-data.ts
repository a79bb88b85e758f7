import {
  type CertificateData,
  type CrmUser,
  headAtSignature,
  maskMobile,
  type SignatureProcedure,
  type TenantSettings,
  totalWrongAttempts,
} from '@paraphe/domain';

/**
 * What the certificate of signature states, read from the signed procedure and its timeline, in the tenant's
 * language. `pageCount` is the original's, as the sealer reads it.
 */
export const certificateData = (
  signed: SignatureProcedure,
  sender: CrmUser,
  settings: Pick<TenantSettings, 'tenantName' | 'language'>,
  pageCount: number,
): CertificateData => {
  if (
    signed.signedAt === undefined ||
    signed.signedSha256 === undefined ||
    signed.sms.verifiedAt === undefined
  ) {
    throw new Error(`Procedure ${signed.id} is not signed: no certificate can state it`);
  }
  const maskedMobile = maskMobile(signed.signer.mobile);
  const head = headAtSignature(signed.events);
  // The chain up to the signature: what the certificate prints and attaches, whatever was chained after it.
  const events = signed.events.slice(0, signed.events.findIndex((event) => event.hash === head) + 1);
  return {
    language: settings.language,
    timeZone: signed.timeZone,
    procedureId: signed.id,
    quoteNumber: signed.quoteNumber,
    tenantName: settings.tenantName,
    sender: { name: sender.name, ...(sender.email === undefined ? {} : { email: sender.email }) },
    signer: { name: signed.signer.name, email: signed.signer.email, maskedMobile },
    document: { name: signed.document.fileName, pageCount },
    originalSha256: signed.document.sha256,
    signedSha256: signed.signedSha256,
    identityCheck: {
      method: 'sms-code',
      maskedMobile,
      codesSentAt: signed.sms.codes.map((code) => code.issuedAt),
      verifiedAt: signed.sms.verifiedAt,
      wrongAttempts: totalWrongAttempts(signed.sms),
    },
    consentText: signed.consentText ?? '',
    signedAt: signed.signedAt,
    events,
    auditChainHead: head,
  };
};
