import type { Sha256Hex } from '../shared/types.js';
import { isAwaitingSignerStatus } from './procedure-status.js';
import type {
  InProgressProcedure,
  InProgressStatus,
  ProcedureSigner,
  SignatureProcedure,
  SignerStatus,
} from './signature-procedure.js';

/** The signer at `position`; a position the procedure does not have is a programming error, not a user's. */
export const signerAt = (procedure: SignatureProcedure, position: number): ProcedureSigner => {
  const signer = procedure.signers[position];
  if (signer === undefined) throw new RangeError(`procedure ${procedure.id} has no signer at ${position}`);
  return signer;
};

/** The signer whose link carries this token hash, if any. */
export const signerByTokenHash = (
  procedure: SignatureProcedure,
  tokenHash: Sha256Hex,
): ProcedureSigner | undefined => procedure.signers.find((signer) => signer.tokenHash === tokenHash);

const progressRank: Readonly<Record<InProgressStatus, number>> = {
  pending: 0,
  sent: 1,
  opened: 2,
  verified: 3,
};

const isAwaitedStatus = (status: SignerStatus): status is InProgressStatus =>
  status === 'pending' || status === 'sent' || status === 'opened' || status === 'verified';

/** The signers the procedure waits on now: invited, not yet signed (in sequence, one; in parallel, every unsigned). */
export const awaitedSigners = (procedure: SignatureProcedure): ReadonlyArray<ProcedureSigner> =>
  procedure.status === 'signed' || procedure.credit === 'released'
    ? []
    : procedure.signers.filter((signer) => isAwaitedStatus(signer.status));

/**
 * A procedure in progress stands where its least advanced reached signer stands (invitation delivered, not signed):
 * with one signer, that signer's status. It is `pending` only while no awaited signer has been reached, so a parallel
 * procedure whose one invitation is still retried keeps its reached signers reminded and swept. It may move back:
 * once the first of two signers in sequence signs, the second one's invitation is `pending`.
 */
export const progressStatus = (signers: ReadonlyArray<ProcedureSigner>): InProgressStatus => {
  let least: InProgressStatus | undefined;
  for (const signer of signers) {
    const status = signer.status;
    if (
      isAwaitedStatus(status) &&
      status !== 'pending' &&
      (least === undefined || progressRank[status] < progressRank[least])
    )
      least = status;
  }
  return least ?? 'pending';
};

export const isInProgress = (procedure: SignatureProcedure): procedure is InProgressProcedure =>
  procedure.credit === 'reserved';

/** Sent, opened or verified: some signer has their link in hand. */
export const isAwaitingSigner = (procedure: SignatureProcedure): procedure is InProgressProcedure =>
  isAwaitingSignerStatus(procedure.status);

/** The positions a transition moved from `waiting` to `pending`: their invitations are to be queued now. */
export const newlyInvited = (before: SignatureProcedure, after: SignatureProcedure): ReadonlyArray<number> =>
  after.signers
    .filter((signer) => signer.status === 'pending' && before.signers[signer.position]?.status === 'waiting')
    .map((signer) => signer.position);

/** The signers who have signed, in the order they signed. */
export const signedSigners = (
  procedure: SignatureProcedure,
): ReadonlyArray<Extract<ProcedureSigner, { readonly status: 'signed' }>> =>
  procedure.signers
    .filter(
      (signer): signer is Extract<ProcedureSigner, { readonly status: 'signed' }> =>
        signer.status === 'signed',
    )
    .sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime() || a.position - b.position);

/** What `hashCode` binds a signer's SMS code to: the procedure for its first signer (as before), else the signer too. */
export const codeSubject = (procedureId: string, position: number): string =>
  position === 0 ? procedureId : `${procedureId}/signer-${position + 1}`;
