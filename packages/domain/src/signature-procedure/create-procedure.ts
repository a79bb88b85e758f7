import * as E from 'fp-ts/lib/Either.js';
import { appendToChain } from '../audit-trail/audit-chain.js';
import { type CreditBalance, reserveCredit } from '../credit-ledger/credit-ledger.js';
import type { DomainError } from '../errors.js';
import type { ApprovedSend } from '../send-rules/send-preconditions.js';
import type { ProcedureId, QuoteId, Sha256Hex, TenantId, UserId } from '../shared/types.js';
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

/** Sending creates a pending procedure and reserves its credit; the lifetime and code policy are copied, not referenced. */
export const createProcedure = (input: NewProcedure, now: Date): E.Either<DomainError, Transition> => {
  const reserved = reserveCredit(input.balance, undefined, input.tenantId, input.id, now);
  if (E.isLeft(reserved)) return reserved;
  // Days of 24 hours: `addDays` counts calendar days in the server's local zone, so two servers in different
  // zones (or one across a DST change) would set different deadlines for the same send.
  const deadline = new Date(now.getTime() + input.settings.procedureLifetimeDays * DAY_MS);
  const events = appendToChain(
    [],
    [
      {
        type: 'procedure_created',
        at: now,
        actor: 'sender',
        data: {
          senderId: input.senderId,
          quoteNumber: input.quoteNumber,
          documentSha256: input.documentSha256,
          deadline: deadline.toISOString(),
        },
      },
      { type: 'credit_reserved', at: now, actor: 'system', data: {} },
    ],
  );
  const procedure: SignatureProcedure = {
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
    ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
    status: 'pending',
    createdAt: now,
    deadline,
    smsPolicy: input.settings.smsCode,
    sms: noCodes,
    credit: 'reserved',
    remindersSent: 0,
    events,
    version: 1,
  };
  return E.right({ procedure, events, ledger: [reserved.right] });
};
