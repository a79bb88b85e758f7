import * as E from 'fp-ts/lib/Either.js';
import { chainedAfter } from '../audit-trail/audit-chain.js';
import type { AuditData } from '../audit-trail/audit-event.js';
import { type CreditBalance, reserveCredit } from '../credit-ledger/credit-ledger.js';
import { type DomainError, domainError } from '../errors.js';
import type { ApprovedSend } from '../send-rules/send-preconditions.js';
import { isoTimestamp } from '../shared/iso-timestamp.js';
import type { Mutable, ProcedureId, QuoteId, Sha256Hex, TenantId, UserId } from '../shared/types.js';
import { noCodes } from '../sms-code/sms-code.js';
import type { TenantSettings } from '../tenant-settings/tenant-settings.js';
import {
  type InProgressProcedure,
  MAX_SIGNERS,
  type ProcedureSigner,
  type Transition,
} from './signature-procedure.js';

export interface NewProcedure {
  readonly id: ProcedureId;
  readonly tenantId: TenantId;
  readonly quoteId: QuoteId;
  readonly quoteNumber: string;
  readonly senderId: UserId;
  readonly approved: ApprovedSend;
  readonly documentSha256: Sha256Hex;
  /** The document's pages, as the sealer counted them when it checked the document for sending. */
  readonly documentPageCount?: number;
  /** One link per signer, in the signers' order: only the hash of each token and the token sealed are kept. */
  readonly tokens: ReadonlyArray<{ readonly tokenHash: Sha256Hex; readonly sealedToken: string }>;
  /** The sender's invitation text, kept when a signer is invited later (in sequence, after the first signs). */
  readonly invitation?: { readonly subject: string; readonly body: string };
  readonly settings: TenantSettings;
  readonly balance: CreditBalance;
  readonly idempotencyKey?: string;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Sending creates a pending procedure and reserves its credit; the lifetime and code policy are copied, not
 * referenced. Like every transition it writes one event, which says what happened to the credit.
 */
export const createProcedure = (input: NewProcedure, now: Date): E.Either<DomainError, Transition> => {
  const { signers: approvedSigners, signingOrder } = input.approved;
  if (approvedSigners.length === 0 || approvedSigners.length > MAX_SIGNERS)
    return E.left(domainError('TOO_MANY_SIGNERS', { count: approvedSigners.length }));
  if (input.tokens.length !== approvedSigners.length)
    throw new RangeError('createProcedure needs one signing token per signer');
  const reserved = reserveCredit(input.balance, undefined, input.tenantId, input.id, now);
  if (E.isLeft(reserved)) return reserved;
  // Days of 24 hours: `addDays` counts calendar days in the server's local zone, so two servers in different
  // zones (or one across a DST change) would set different deadlines for the same send.
  const deadline = new Date(now.getTime() + input.settings.procedureLifetimeDays * DAY_MS);
  const several = approvedSigners.length > 1;
  // Keys in order, as the chain hashes them: no sorting to do. One signer: the data as it always was.
  const data: Mutable<AuditData> = {
    credit: 'reserved',
    deadline: isoTimestamp(deadline),
    documentSha256: input.documentSha256,
    quoteNumber: input.quoteNumber,
    senderId: input.senderId,
  };
  if (several) {
    data.signers = approvedSigners.length;
    data.signingOrder = signingOrder;
  }
  const created = chainedAfter([], { type: 'procedure_created', at: now, actor: 'sender', data });
  const signers: ReadonlyArray<ProcedureSigner> = approvedSigners.map((approved, position) => ({
    position,
    role: approved.role,
    reference: approved.reference,
    identity: approved.identity,
    tokenHash: input.tokens[position]!.tokenHash,
    sealedToken: input.tokens[position]!.sealedToken,
    sms: noCodes,
    remindersSent: 0,
    // In sequence only the first is invited now; in parallel, everyone.
    status: position === 0 || signingOrder === 'parallel' ? 'pending' : 'waiting',
  }));
  // Built as one literal with the optional keys added after: a spread inside the literal makes V8 build a slow
  // dictionary object, which every later transition would pay for.
  const procedure: Mutable<InProgressProcedure> = {
    id: input.id,
    tenantId: input.tenantId,
    quoteId: input.quoteId,
    quoteNumber: input.quoteNumber,
    senderId: input.senderId,
    language: input.settings.language,
    timeZone: input.settings.timeZone,
    document: {
      fileName: input.approved.document.fileName,
      sha256: input.documentSha256,
      byteLength: input.approved.document.bytes.length,
      ...(input.documentPageCount === undefined ? {} : { pageCount: input.documentPageCount }),
    },
    status: 'pending',
    createdAt: now,
    deadline,
    smsPolicy: input.settings.smsCode,
    signingOrder,
    signers,
    credit: 'reserved',
    events: [created],
    version: 1,
  };
  if (input.idempotencyKey !== undefined) procedure.idempotencyKey = input.idempotencyKey;
  if (input.invitation !== undefined && several && signingOrder === 'sequential')
    procedure.invitation = input.invitation;
  return E.right({ procedure, events: [created], ledger: [reserved.right] });
};
