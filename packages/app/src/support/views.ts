import {
  chainHead,
  consentText,
  maskMobile,
  type ProcedureStatus,
  type ProcedureView,
  type Sha256Hex,
  type SignatureProcedure,
  type SigningPageView,
  signatureEvent,
} from '@paraphe/domain';

/** Past its deadline a procedure in progress reads `expired`, whether or not the sweep has run. */
export const effectiveStatus = (procedure: SignatureProcedure, now: Date): ProcedureStatus =>
  ['sent', 'opened', 'verified'].includes(procedure.status) && now.getTime() >= procedure.deadline.getTime()
    ? 'expired'
    : procedure.status;

export const toProcedureView = (procedure: SignatureProcedure, now: Date): ProcedureView => ({
  id: procedure.id,
  quoteId: procedure.quoteId,
  quoteNumber: procedure.quoteNumber,
  status: effectiveStatus(procedure, now),
  signer: {
    name: procedure.signer.name,
    email: procedure.signer.email,
    maskedMobile: maskMobile(procedure.signer.mobile),
  },
  createdAt: procedure.createdAt,
  deadline: procedure.deadline,
  ...(procedure.signedAt === undefined ? {} : { signedAt: procedure.signedAt }),
  ...(procedure.endedAt === undefined ? {} : { endedAt: procedure.endedAt }),
  ...(procedure.declineReason === undefined ? {} : { declineReason: procedure.declineReason }),
  credit: procedure.credit,
  documentSha256: procedure.document.sha256,
  ...(procedure.signedSha256 === undefined ? {} : { signedDocumentSha256: procedure.signedSha256 }),
  auditChainHead: chainHead(procedure.events),
  ...signatureHead(procedure),
  timeline: procedure.events.map(
    ({ sequence, type, at, actor, ip, userAgent, data, previousHash, hash }) => ({
      sequence,
      type,
      at,
      actor,
      ...(ip === undefined ? {} : { ip }),
      ...(userAgent === undefined ? {} : { userAgent }),
      data,
      previousHash,
      hash,
      ...(type === 'signed' ? { headAtSignature: true as const } : {}),
    }),
  ),
});

// The certificate prints the head at signature, not the last one: events are chained after the seal.
const signatureHead = (procedure: SignatureProcedure): { auditChainHeadAtSignature?: Sha256Hex } => {
  const signed = signatureEvent(procedure.events);
  return signed === undefined ? {} : { auditChainHeadAtSignature: signed.hash };
};

export const toSigningPageView = (
  procedure: SignatureProcedure,
  senderName: string,
  now: Date,
): SigningPageView => {
  const policy = procedure.smsPolicy;
  const codes = procedure.sms.codes;
  const last = codes[codes.length - 1];
  const retryAfterMs =
    last === undefined ? 0 : last.issuedAt.getTime() + policy.resendCooldownSeconds * 1000 - now.getTime();
  const active = last !== undefined && last.status === 'active' && now.getTime() < last.expiresAt.getTime();
  return {
    status: effectiveStatus(procedure, now),
    language: procedure.language,
    timeZone: procedure.timeZone,
    quoteNumber: procedure.quoteNumber,
    senderName,
    signerName: procedure.signer.name,
    maskedMobile: maskMobile(procedure.signer.mobile),
    deadline: procedure.deadline,
    documentFileName: procedure.document.fileName,
    consentText: consentText(procedure.language, procedure.quoteNumber),
    codes: {
      sent: codes.length,
      remaining: Math.max(0, policy.maxCodesPerProcedure - codes.length),
      retryAfterSeconds: Math.max(0, Math.ceil(retryAfterMs / 1000)),
      active,
      attemptsLeft: active ? policy.maxWrongAttemptsPerCode - last.wrongAttempts : 0,
    },
  };
};
