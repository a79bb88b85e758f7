import * as E from 'fp-ts/lib/Either.js';
import { chainedAfter } from '../audit-trail/audit-chain.js';
import { type CreditBalance, reserveCredit } from '../credit-ledger/credit-ledger.js';
import type { DomainError } from '../errors.js';
import type { ApprovedSend } from '../send-rules/send-preconditions.js';
import { isoTimestamp } from '../shared/iso-timestamp.js';
import type { Mutable, ProcedureId, QuoteId, Sha256Hex, TenantId, UserId } from '../shared/types.js';
import { noCodes } from '../sms-code/sms-code.js';
import type { TenantSettings } from '../tenant-settings/tenant-settings.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';

export interface NewProcedure {
  readonly id: ProcedureId;
  readonly tenantId: TenantId;
  readonly quoteId: QuoteId;
  readonly quoteNumber: string;
  readonly senderId: UserId;
  readonly approved: ApprovedSend;
  readonly documentSha256: Sha256Hex;
  readonly tokenHash: Sha256Hex;
  readonly sealedToken: string;
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
  const reserved = reserveCredit(input.balance, undefined, input.tenantId, input.id, now);
  if (E.isLeft(reserved)) return reserved;
  // Days of 24 hours: `addDays` counts calendar days in the server's local zone, so two servers in different
  // zones (or one across a DST change) would set different deadlines for the same send.
  const deadline = new Date(now.getTime() + input.settings.procedureLifetimeDays * DAY_MS);
  const created = chainedAfter([], {
    type: 'procedure_created',
    at: now,
    actor: 'sender',
    // Keys in order, as the chain hashes them: no sorting to do.
    data: {
      credit: 'reserved',
      deadline: isoTimestamp(deadline),
      documentSha256: input.documentSha256,
      quoteNumber: input.quoteNumber,
      senderId: input.senderId,
    },
  });
  // Built as one literal with the optional key added after: a spread inside the literal makes V8 build a slow
  // dictionary object, which every later transition would pay for.
  const procedure: Mutable<SignatureProcedure> = {
    id: input.id,
    tenantId: input.tenantId,
    quoteId: input.quoteId,
    quoteNumber: input.quoteNumber,
    senderId: input.senderId,
    signer: input.approved.signer,
    language: input.settings.language,
    timeZone: input.settings.timeZone,
    document: {
      fileName: input.approved.document.fileName,
      sha256: input.documentSha256,
      byteLength: input.approved.document.bytes.length,
    },
    tokenHash: input.tokenHash,
    sealedToken: input.sealedToken,
    status: 'pending',
    createdAt: now,
    deadline,
    smsPolicy: input.settings.smsCode,
    sms: noCodes,
    credit: 'reserved',
    remindersSent: 0,
    events: [created],
    version: 1,
  };
  if (input.idempotencyKey !== undefined) procedure.idempotencyKey = input.idempotencyKey;
  return E.right({ procedure, events: [created], ledger: [reserved.right] });
};
