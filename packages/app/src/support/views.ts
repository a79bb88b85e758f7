import {
  chainHead,
  consentText,
  isAwaitingSigner,
  maskMobile,
  type ProcedureSigner,
  type ProcedureStatus,
  type ProcedureView,
  type Sha256Hex,
  type SignatureProcedure,
  type SignerView,
  type SigningPageView,
  signatureEvent,
} from '@paraphe/domain';

/** Past its deadline a procedure awaiting a signer reads `expired`, whether or not the sweep has run. */
export const effectiveStatus = (procedure: SignatureProcedure, now: Date): ProcedureStatus =>
  isAwaitingSigner(procedure) && now.getTime() >= procedure.deadline.getTime() ? 'expired' : procedure.status;

/**
 * The event whose hash the certificate prints: the `signed` event that completed the procedure. A signer's earlier
 * signature is not it (the certificate is rendered once, after the last), so nothing is marked before the end.
 */
const completingSignature = (procedure: SignatureProcedure) =>
  procedure.status === 'signed' ? signatureEvent(procedure.events) : undefined;

const toSignerView = (signer: ProcedureSigner): SignerView => ({
  position: signer.position,
  role: signer.role,
  name: signer.identity.name,
  email: signer.identity.email,
  maskedMobile: maskMobile(signer.identity.mobile),
  status: signer.status,
  ...(signer.status === 'signed' ? { signedAt: signer.signedAt } : {}),
  ...(signer.status === 'declined' ? { declinedAt: signer.declinedAt } : {}),
  remindersSent: signer.remindersSent,
});

export const toProcedureView = (procedure: SignatureProcedure, now: Date): ProcedureView => {
  const first = procedure.signers[0]!;
  const completing = completingSignature(procedure);
  return {
    id: procedure.id,
    quoteId: procedure.quoteId,
    quoteNumber: procedure.quoteNumber,
    status: effectiveStatus(procedure, now),
    signer: {
      name: first.identity.name,
      email: first.identity.email,
      maskedMobile: maskMobile(first.identity.mobile),
    },
    signingOrder: procedure.signingOrder,
    signers: procedure.signers.map(toSignerView),
    createdAt: procedure.createdAt,
    deadline: procedure.deadline,
    ...(procedure.status === 'signed' ? { signedAt: procedure.signedAt } : {}),
    ...(procedure.credit === 'reserved' ? {} : { endedAt: procedure.endedAt }),
    ...(procedure.credit !== 'released' || procedure.declineReason === undefined
      ? {}
      : { declineReason: procedure.declineReason }),
    credit: procedure.credit,
    documentSha256: procedure.document.sha256,
    ...(procedure.status === 'signed' ? { signedDocumentSha256: procedure.signedSha256 } : {}),
    auditChainHead: chainHead(procedure.events),
    ...signatureHead(completing?.hash),
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
        ...(hash === completing?.hash ? { headAtSignature: true as const } : {}),
      }),
    ),
  };
};

// The certificate prints the head at signature, not the last one: events are chained after the seal.
const signatureHead = (hash: Sha256Hex | undefined): { auditChainHeadAtSignature?: Sha256Hex } =>
  hash === undefined ? {} : { auditChainHeadAtSignature: hash };

/**
 * What this signer's page reads as status: an ended procedure's status (past the deadline, `expired`); while it
 * runs, this signer's own progress, so their page moves on as they open, verify and sign, whatever the others do.
 * With one signer this is the procedure's effective status, as always.
 */
const pageStatus = (procedure: SignatureProcedure, signer: ProcedureSigner, now: Date): ProcedureStatus => {
  const effective = effectiveStatus(procedure, now);
  if (procedure.credit !== 'reserved' || effective === 'expired') return effective;
  // A waiting signer is refused before any page is built; should one reach here, their invitation is to come.
  return signer.status === 'waiting' || signer.status === 'declined' ? 'pending' : signer.status;
};

export const toSigningPageView = (
  procedure: SignatureProcedure,
  position: number,
  senderName: string,
  now: Date,
): SigningPageView => {
  const signer = procedure.signers[position]!;
  const policy = procedure.smsPolicy;
  const codes = signer.sms.codes;
  const last = codes[codes.length - 1];
  const retryAfterMs =
    last === undefined ? 0 : last.issuedAt.getTime() + policy.resendCooldownSeconds * 1000 - now.getTime();
  const active = last !== undefined && last.status === 'active' && now.getTime() < last.expiresAt.getTime();
  return {
    status: pageStatus(procedure, signer, now),
    position,
    signingOrder: procedure.signingOrder,
    // Names only: every signer sees who signed and who is awaited, never the others' email or mobile.
    signers: procedure.signers.map((s) => ({
      name: s.identity.name,
      status: s.status,
      ...(s.status === 'signed' ? { signedAt: s.signedAt } : {}),
    })),
    language: procedure.language,
    timeZone: procedure.timeZone,
    quoteNumber: procedure.quoteNumber,
    senderName,
    signerName: signer.identity.name,
    maskedMobile: maskMobile(signer.identity.mobile),
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
