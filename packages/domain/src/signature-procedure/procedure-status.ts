export type ProcedureStatus =
  | 'pending'
  | 'sent'
  | 'opened'
  | 'verified'
  | 'signed'
  | 'expired'
  | 'cancelled'
  | 'declined'
  | 'failed';

export const terminalStatuses: ReadonlyArray<ProcedureStatus> = [
  'signed',
  'expired',
  'cancelled',
  'declined',
  'failed',
];

/** A terminal procedure never changes again. */
export const isTerminal = (status: ProcedureStatus): boolean => terminalStatuses.includes(status);

/** In progress or signed: what blocks sending the same quote again (rule 3). */
export const blocksNewProcedure = (status: ProcedureStatus): boolean =>
  status === 'signed' || !isTerminal(status);

/** The statuses of a procedure whose signers have been reached and not all have signed: the one list of them. */
export const AWAITING_SIGNER_STATUSES = ['sent', 'opened', 'verified'] as const;
export type AwaitingSignerStatus = (typeof AWAITING_SIGNER_STATUSES)[number];

/** Of a procedure, or of one of its signers: reached by their invitation and not done. */
export const isAwaitingSignerStatus = (status: string): status is AwaitingSignerStatus =>
  (AWAITING_SIGNER_STATUSES as ReadonlyArray<string>).includes(status);
