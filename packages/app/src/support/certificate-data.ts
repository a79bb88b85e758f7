import {
  type CertificateData,
  type CrmUser,
  chainHead,
  maskMobile,
  type SignatureProcedure,
  totalWrongAttempts,
} from '@paraphe/domain';

/** What the certificate of signature states, read from the signed procedure and its timeline. */
export const certificateData = (
  signed: SignatureProcedure,
  sender: CrmUser,
  tenantName: string,
): CertificateData => {
  if (
    signed.signedAt === undefined ||
    signed.signedSha256 === undefined ||
    signed.sms.verifiedAt === undefined
  ) {
    throw new Error(`Procedure ${signed.id} is not signed: no certificate can state it`);
  }
  const maskedMobile = maskMobile(signed.signer.mobile);
  return {
    language: signed.language,
    timeZone: signed.timeZone,
    procedureId: signed.id,
    quoteNumber: signed.quoteNumber,
    tenantName,
    sender: { name: sender.name, ...(sender.email === undefined ? {} : { email: sender.email }) },
    signer: { name: signed.signer.name, email: signed.signer.email, maskedMobile },
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
    events: signed.events,
    auditChainHead: chainHead(signed.events),
  };
};
