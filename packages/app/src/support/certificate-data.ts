import {
  type CertificateData,
  type CertificateSigner,
  type CrmUser,
  headAtSignature,
  maskMobile,
  type SignatureProcedure,
  type TenantSettings,
  totalWrongAttempts,
} from '@paraphe/domain';

/**
 * One signer as the certificate states them: their identity check from their own SMS code state, and where their
 * signature came from from their own `signed` event (with several signers, the one naming them).
 */
const certificateSigner = (procedure: SignatureProcedure, position: number): CertificateSigner => {
  const signer = procedure.signers[position]!;
  if (signer.status !== 'signed' || signer.sms.verifiedAt === undefined) {
    throw new Error(`Signer ${position + 1} of ${procedure.id} has not signed: no certificate can state it`);
  }
  const several = procedure.signers.length > 1;
  const signed = procedure.events.find(
    (event) => event.type === 'signed' && (!several || event.data.signer === position + 1),
  );
  const maskedMobile = maskMobile(signer.identity.mobile);
  return {
    name: signer.identity.name,
    email: signer.identity.email,
    maskedMobile,
    role: signer.role,
    identityCheck: {
      method: 'sms-code',
      maskedMobile,
      codesSentAt: signer.sms.codes.map((code) => code.issuedAt),
      verifiedAt: signer.sms.verifiedAt,
      wrongAttempts: totalWrongAttempts(signer.sms),
    },
    consentText: signer.consentText,
    signedAt: signer.signedAt,
    ...(signed?.ip === undefined ? {} : { ip: signed.ip }),
    ...(signed?.userAgent === undefined ? {} : { userAgent: signed.userAgent }),
  };
};

/**
 * What the certificate of signature states, read from the signed procedure and its timeline, in the tenant's
 * language: every signer in the list's order. `pageCount` is the original's, as the sealer reads it.
 */
export const certificateData = (
  signed: SignatureProcedure,
  sender: CrmUser,
  settings: Pick<TenantSettings, 'tenantName' | 'language'>,
  pageCount: number,
): CertificateData => {
  if (signed.status !== 'signed') {
    throw new Error(`Procedure ${signed.id} is not signed: no certificate can state it`);
  }
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
    document: { name: signed.document.fileName, pageCount },
    originalSha256: signed.document.sha256,
    signedSha256: signed.signedSha256,
    signers: signed.signers.map((signer) => certificateSigner(signed, signer.position)),
    signingOrder: signed.signingOrder,
    signedAt: signed.signedAt,
    events,
    auditChainHead: head,
  };
};
