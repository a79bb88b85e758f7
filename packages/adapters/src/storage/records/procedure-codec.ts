import {
  AUDIT_ACTORS,
  AUDIT_EVENT_TYPES,
  type EmailAddress,
  type MobileNumber,
  type ProcedureStatus,
  type SignatureProcedure,
  SmsCodePolicyCodec,
  type StorageError,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import {
  Count,
  denseArray,
  FiniteNumber,
  IsoDate,
  oneOf,
  plainRecord,
  Sha256HexCodec,
} from './column-codecs.js';
import { storable, toJson } from './record-check.js';

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
    type: oneOf('AuditEventType', AUDIT_EVENT_TYPES),
    at: IsoDate,
    actor: oneOf('AuditActor', AUDIT_ACTORS),
    data: plainRecord(t.union([t.string, FiniteNumber, t.boolean])),
    sequence: Count,
    previousHash: Sha256HexCodec,
    hash: Sha256HexCodec,
  }),
  t.partial({ ip: t.string, userAgent: t.string }),
]);

const IssuedCodeCodec = t.type({
  hash: t.string,
  issuedAt: IsoDate,
  expiresAt: IsoDate,
  wrongAttempts: Count,
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
    document: t.type({ fileName: t.string, sha256: Sha256HexCodec, byteLength: Count }),
    tokenHash: Sha256HexCodec,
    sealedToken: t.string,
    status: oneOf('ProcedureStatus', procedureStatuses),
    createdAt: IsoDate,
    deadline: IsoDate,
    smsPolicy: SmsCodePolicyCodec,
    sms: t.intersection([t.type({ codes: denseArray(IssuedCodeCodec) }), t.partial({ verifiedAt: IsoDate })]),
    credit: oneOf('HoldStatus', ['reserved', 'captured', 'released'] as const),
    remindersSent: Count,
    events: denseArray(AuditEventCodec),
    version: Count,
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

/**
 * Reads the JSON body of a stored procedure (dates as ISO strings) into the domain's procedure, and tells whether a
 * procedure would read back once written (`is`): one definition for both ways, in every store.
 */
export const ProcedureBodyCodec = StoredProcedureCodec as unknown as t.Type<
  SignatureProcedure,
  unknown,
  unknown
>;

/** A procedure every store may keep: it reads back with `ProcedureBodyCodec`; otherwise `STORAGE_FAILURE`. */
export const storableProcedure = storable('procedure', ProcedureBodyCodec);

const procedureJson = toJson('procedure');

/** The JSON body the SQL stores write (`JSON.stringify` turns every Date into its ISO string), once it is storable. */
export const procedureBody = (procedure: SignatureProcedure): E.Either<StorageError, string> => {
  const storable = storableProcedure(procedure);
  return E.isLeft(storable) ? storable : procedureJson(procedure);
};
