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
