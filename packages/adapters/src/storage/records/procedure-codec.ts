import {
  type AuditEventType,
  type EmailAddress,
  type MobileNumber,
  type ProcedureStatus,
  type SignatureProcedure,
  SmsCodePolicyCodec,
} from '@paraphe/domain';
import * as t from 'io-ts';
import { IsoDate, oneOf, Sha256HexCodec } from './column-codecs.js';

const auditEventTypes: ReadonlyArray<AuditEventType> = [
  'procedure_created',
  'invitation_sent',
  'invitation_failed',
  'delivery_retry_scheduled',
  'reminder_sent',
  'opened',
  'code_sent',
  'code_send_failed',
  'code_rejected',
  'code_verified',
  'signed',
  'declined',
  'cancelled',
  'expired',
  'follow_up_created',
  'crm_notified',
];

const procedureStatuses: ReadonlyArray<ProcedureStatus> = [
  'pending',
  'sent',
  'opened',
  'verified',
  'signed',
  'expired',
  'cancelled',
  'declined',
  'failed',
];

// Stored addresses were proven by the send rules before the procedure existed; reading them back trusts that.
const Email = t.string as unknown as t.Type<EmailAddress, string, unknown>;
const Mobile = t.string as unknown as t.Type<MobileNumber, string, unknown>;

const AuditEventCodec = t.intersection([
  t.type({
    type: oneOf('AuditEventType', auditEventTypes),
    at: IsoDate,
    actor: oneOf('AuditActor', ['sender', 'signer', 'system'] as const),
    data: t.record(t.string, t.union([t.string, t.number, t.boolean])),
    sequence: t.number,
    previousHash: Sha256HexCodec,
    hash: Sha256HexCodec,
  }),
  t.partial({ ip: t.string, userAgent: t.string }),
]);

const IssuedCodeCodec = t.type({
  hash: t.string,
  issuedAt: IsoDate,
  expiresAt: IsoDate,
  wrongAttempts: t.number,
  status: oneOf('CodeStatus', ['active', 'used', 'dead', 'superseded'] as const),
});

const StoredProcedureCodec = t.intersection([
  t.type({
    id: t.string,
    tenantId: t.string,
    quoteId: t.string,
    quoteNumber: t.string,
    senderId: t.string,
    signer: t.type({ name: t.string, email: Email, mobile: Mobile }),
    language: oneOf('Language', ['fr', 'en'] as const),
    timeZone: t.string,
    document: t.type({ fileName: t.string, sha256: Sha256HexCodec, byteLength: t.number }),
    tokenHash: Sha256HexCodec,
    sealedToken: t.string,
    status: oneOf('ProcedureStatus', procedureStatuses),
    createdAt: IsoDate,
    deadline: IsoDate,
    smsPolicy: SmsCodePolicyCodec,
    sms: t.intersection([t.type({ codes: t.array(IssuedCodeCodec) }), t.partial({ verifiedAt: IsoDate })]),
    credit: oneOf('HoldStatus', ['reserved', 'captured', 'released'] as const),
    remindersSent: t.number,
    events: t.array(AuditEventCodec),
    version: t.number,
  }),
  t.partial({
    idempotencyKey: t.string,
    signedAt: IsoDate,
    signedSha256: Sha256HexCodec,
    consentText: t.string,
    endedAt: IsoDate,
    declineReason: t.string,
  }),
]);

// io-ts types optional fields as `T | undefined` while the domain uses exact optional fields; JSON never
// holds `undefined`, so a field absent when written is absent when read. This guard fails to compile when
// the codec and the domain type stop naming the same fields.
type Decoded = t.TypeOf<typeof StoredProcedureCodec>;
type SameFields = [
  Exclude<keyof SignatureProcedure, keyof Decoded>,
  Exclude<keyof Decoded, keyof SignatureProcedure>,
];
export const procedureCodecNamesEveryField: SameFields extends [never, never] ? true : never = true;

/** Decodes the JSON body of a stored procedure (dates as ISO strings) into the domain's procedure. */
export const ProcedureBodyCodec = StoredProcedureCodec as unknown as t.Decoder<unknown, SignatureProcedure>;

/** The JSON written for a procedure: `JSON.stringify` turns every Date into its ISO string. */
export const encodeProcedureBody = (procedure: SignatureProcedure): string => JSON.stringify(procedure);
