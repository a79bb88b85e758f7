import {
  AUDIT_ACTORS,
  AUDIT_EVENT_TYPES,
  type AuditEvent,
  type EmailAddress,
  type InProgressProcedure,
  type InProgressStatus,
  MAX_SIGNERS,
  type MobileNumber,
  type ProcedureSigner,
  type SignatureProcedure,
  type SignedProcedure,
  type SignerStatus,
  SmsCodePolicyCodec,
  type StorageError,
  type UnsignedEndStatus,
  type UnsignedProcedure,
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
import { ArrayWithRule, storable, toJson } from './record-check.js';

const inProgressStatuses: ReadonlyArray<InProgressStatus> = ['pending', 'sent', 'opened', 'verified'];
const unsignedEndStatuses: ReadonlyArray<UnsignedEndStatus> = ['expired', 'cancelled', 'declined', 'failed'];

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

const SmsStateCodec = t.intersection([
  t.type({ codes: denseArray(IssuedCodeCodec) }),
  t.partial({ verifiedAt: IsoDate }),
]);

const IdentityCodec = t.type({ name: t.string, email: Email, mobile: Mobile });
const DocumentCodec = t.intersection([
  t.type({ fileName: t.string, sha256: Sha256HexCodec, byteLength: Count }),
  // Recorded at sending since the certificate needs it; procedures sent before have none.
  t.partial({ pageCount: Count }),
]);

// ---- The signers -------------------------------------------------------------------------------------------------

const SignerFieldsCodec = t.type({
  position: Count,
  role: oneOf('SignerRole', ['contact', 'countersigner'] as const),
  reference: t.string,
  identity: IdentityCodec,
  tokenHash: Sha256HexCodec,
  sealedToken: t.string,
  sms: SmsStateCodec,
  remindersSent: Count,
});
const OnTheWayCodec = t.type({
  status: oneOf('SignerStatus', ['waiting', 'pending', 'sent', 'opened', 'verified'] as const),
});
const SignerSignedCodec = t.type({
  status: t.literal('signed'),
  signedAt: IsoDate,
  signedSha256: Sha256HexCodec,
  consentText: t.string,
});
const SignerDeclinedCodec = t.intersection([
  t.type({ status: t.literal('declined'), declinedAt: IsoDate }),
  t.partial({ declineReason: t.string }),
]);
// The members that carry facts first: a refusal names the union's member failing at the fewest fields, the first on
// a tie, so a signed signer with a bad `signedAt` is named there rather than at its `status`.
const SignerCodec = t.intersection([
  SignerFieldsCodec,
  t.union([SignerSignedCodec, SignerDeclinedCodec, OnTheWayCodec]),
]);

const isSignerList = (signers: ReadonlyArray<{ readonly position: number }>): boolean =>
  signers.length >= 1 &&
  signers.length <= MAX_SIGNERS &&
  signers.every((signer, index) => signer.position === index);

type DecodedSignerList = ReadonlyArray<t.TypeOf<typeof SignerCodec>>;

/**
 * 1 to `MAX_SIGNERS` signers at positions 0..n-1 in order: what every transition indexes by. A refusal names the
 * misplaced signers' `position`, or the list when its length is wrong (record-check.ts).
 */
const SignerListCodec = (() => {
  const items = denseArray(SignerCodec);
  return new ArrayWithRule<typeof SignerCodec, DecodedSignerList>(
    'SignerList',
    (u): u is DecodedSignerList => items.is(u) && isSignerList(u),
    (u, c) => {
      const decoded = items.validate(u, c);
      if (E.isLeft(decoded)) return decoded;
      return isSignerList(decoded.right)
        ? t.success(decoded.right)
        : t.failure(u, c, `1 to ${MAX_SIGNERS} signers at positions 0..n-1`);
    },
    SignerCodec,
    (signers) =>
      (signers as DecodedSignerList).flatMap((signer, index) =>
        signer.position === index ? [] : [`${index}.position`],
      ),
  );
})();

// ---- The procedure -----------------------------------------------------------------------------------------------

const ProcedureBaseCodec = t.intersection([
  t.type({
    id: t.string,
    tenantId: t.string,
    quoteId: t.string,
    quoteNumber: t.string,
    senderId: t.string,
    language: oneOf('Language', ['fr', 'en'] as const),
    timeZone: t.string,
    document: DocumentCodec,
    createdAt: IsoDate,
    deadline: IsoDate,
    smsPolicy: SmsCodePolicyCodec,
    signingOrder: oneOf('SigningOrder', ['sequential', 'parallel'] as const),
    signers: SignerListCodec,
    events: denseArray(AuditEventCodec),
    version: Count,
  }),
  t.partial({
    idempotencyKey: t.string,
    invitation: t.type({ subject: t.string, body: t.string }),
  }),
]);

// Status and credit go together: a `signed` procedure whose credit is still `reserved` is unreadable, not repaired.
const InProgressCodec = t.type({
  status: oneOf('InProgressStatus', inProgressStatuses),
  credit: t.literal('reserved'),
});
const SignedCodec = t.type({
  status: t.literal('signed'),
  credit: t.literal('captured'),
  signedAt: IsoDate,
  signedSha256: Sha256HexCodec,
  endedAt: IsoDate,
});
const UnsignedCodec = t.intersection([
  t.type({
    status: oneOf('UnsignedEndStatus', unsignedEndStatuses),
    credit: t.literal('released'),
    endedAt: IsoDate,
  }),
  t.partial({ declineReason: t.string }),
]);

/** The procedure as this version writes it. */
const StoredProcedureCodec = t.intersection([
  ProcedureBaseCodec,
  t.union([InProgressCodec, SignedCodec, UnsignedCodec]),
]);

// io-ts types optional fields as `T | undefined` while the domain uses exact optional fields; JSON never holds
// `undefined`, so a field absent when written is absent when read. These guards fail to compile when the codec and
// the domain type stop naming the same fields, member by member of each union (a union's `keyof` is only the keys
// its members share, which would let a member's own field go unnoticed).
type SameFields<Domain, Decoded> = [
  Exclude<keyof Domain, keyof Decoded>,
  Exclude<keyof Decoded, keyof Domain>,
] extends [never, never]
  ? true
  : never;
type DecodedBase = t.TypeOf<typeof ProcedureBaseCodec>;
type DecodedSigner = t.TypeOf<typeof SignerFieldsCodec>;
type SignerIn<S extends SignerStatus> = Extract<ProcedureSigner, { readonly status: S }>;
export const procedureCodecNamesEveryField: [
  SameFields<InProgressProcedure, DecodedBase & t.TypeOf<typeof InProgressCodec>>,
  SameFields<SignedProcedure, DecodedBase & t.TypeOf<typeof SignedCodec>>,
  SameFields<UnsignedProcedure, DecodedBase & t.TypeOf<typeof UnsignedCodec>>,
  SameFields<
    Exclude<ProcedureSigner, { readonly status: 'signed' | 'declined' }>,
    DecodedSigner & t.TypeOf<typeof OnTheWayCodec>
  >,
  SameFields<SignerIn<'signed'>, DecodedSigner & t.TypeOf<typeof SignerSignedCodec>>,
  SameFields<SignerIn<'declined'>, DecodedSigner & t.TypeOf<typeof SignerDeclinedCodec>>,
] = [true, true, true, true, true, true];

// ---- The previous version's procedures ---------------------------------------------------------------------------

/**
 * A procedure as the one-signer version wrote it: the signer, their link, code state and reminders at the top, the
 * signature's facts optional. Read only, never written again in this shape.
 */
const FlatProcedureCodec = t.intersection([
  t.type({
    id: t.string,
    tenantId: t.string,
    quoteId: t.string,
    quoteNumber: t.string,
    senderId: t.string,
    signer: IdentityCodec,
    language: oneOf('Language', ['fr', 'en'] as const),
    timeZone: t.string,
    document: DocumentCodec,
    tokenHash: Sha256HexCodec,
    sealedToken: t.string,
    status: oneOf('ProcedureStatus', [...inProgressStatuses, 'signed', ...unsignedEndStatuses] as const),
    createdAt: IsoDate,
    deadline: IsoDate,
    smsPolicy: SmsCodePolicyCodec,
    sms: SmsStateCodec,
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
type FlatProcedure = t.TypeOf<typeof FlatProcedureCodec>;

// The status each event of a one-signer timeline left its signer in; the others (codes sent, reminders) changed none.
const progressByEvent: Partial<Record<AuditEvent['type'], InProgressStatus>> = {
  procedure_created: 'pending',
  invitation_sent: 'sent',
  opened: 'opened',
  code_verified: 'verified',
};

/** Where the signer of a procedure that ended without them stood last, as its events tell. */
const lastProgress = (events: ReadonlyArray<AuditEvent>): InProgressStatus => {
  for (let i = events.length - 1; i >= 0; i--) {
    const status = progressByEvent[events[i]!.type];
    if (status !== undefined) return status;
  }
  return 'sent';
};

/** Decoded fields that are not in the new shape, or absent: a value built from them is checked again afterwards. */
type Loose = Record<string, unknown>;

/**
 * The one signer of a flat procedure. Their CRM contact id was never stored (the quote's contact at the time of the
 * send, which the CRM may since have changed), so `reference` is '' rather than a guess.
 */
const signerOfFlat = (p: FlatProcedure): Loose => {
  const fields: Loose = {
    position: 0,
    role: 'contact',
    reference: '',
    identity: p.signer,
    tokenHash: p.tokenHash,
    sealedToken: p.sealedToken,
    sms: p.sms,
    remindersSent: p.remindersSent,
  };
  switch (p.status) {
    case 'pending':
    case 'sent':
    case 'opened':
    case 'verified':
      return { ...fields, status: p.status };
    case 'signed':
      return {
        ...fields,
        status: 'signed',
        signedAt: p.signedAt,
        signedSha256: p.signedSha256,
        consentText: p.consentText,
      };
    case 'declined':
      return {
        ...fields,
        status: 'declined',
        declinedAt: p.endedAt,
        ...(p.declineReason === undefined ? {} : { declineReason: p.declineReason }),
      };
    default:
      return { ...fields, status: lastProgress(p.events) };
  }
};

/** A flat procedure in the new shape: one signer, in sequence, no invitation text kept (none is sent later). */
const fromFlat = (p: FlatProcedure): Loose => {
  const common: Loose = {
    id: p.id,
    tenantId: p.tenantId,
    quoteId: p.quoteId,
    quoteNumber: p.quoteNumber,
    senderId: p.senderId,
    language: p.language,
    timeZone: p.timeZone,
    document: p.document,
    ...(p.idempotencyKey === undefined ? {} : { idempotencyKey: p.idempotencyKey }),
    createdAt: p.createdAt,
    deadline: p.deadline,
    smsPolicy: p.smsPolicy,
    signingOrder: 'sequential',
    signers: [signerOfFlat(p)],
    events: p.events,
    version: p.version,
    status: p.status,
    credit: p.credit,
  };
  if (p.status === 'signed')
    return { ...common, signedAt: p.signedAt, signedSha256: p.signedSha256, endedAt: p.endedAt };
  if (p.credit === 'reserved') return common;
  return {
    ...common,
    endedAt: p.endedAt,
    ...(p.declineReason === undefined ? {} : { declineReason: p.declineReason }),
  };
};

const hasSigners = (u: unknown): boolean => typeof u === 'object' && u !== null && 'signers' in u;

/**
 * Reads the JSON body of a stored procedure (dates as ISO strings) into the domain's procedure, and tells whether a
 * procedure would read back once written (`is`): one definition for both ways, in every store. A body without
 * `signers` was written by the one-signer version and is read into the new shape, then held to the same rules (a
 * `signed` status with a `reserved` credit stays unreadable).
 */
export const ProcedureBodyCodec: t.Type<SignatureProcedure, unknown, unknown> = new t.IntersectionType(
  'SignatureProcedure',
  (u): u is SignatureProcedure => StoredProcedureCodec.is(u),
  (u, c) => {
    if (hasSigners(u)) return StoredProcedureCodec.validate(u, c) as t.Validation<SignatureProcedure>;
    const flat = FlatProcedureCodec.validate(u, c);
    if (E.isLeft(flat)) return flat;
    const converted = fromFlat(flat.right);
    return StoredProcedureCodec.is(converted)
      ? t.success(converted as SignatureProcedure)
      : t.failure(u, c, 'a one-signer procedure whose status, credit and dates disagree');
  },
  t.identity,
  // The members of the shape written now: what a refusal walks to name the failing fields (record-check.ts).
  StoredProcedureCodec.types as unknown as [t.Mixed, t.Mixed],
);

/** A procedure every store may keep: it reads back with `ProcedureBodyCodec`; otherwise `STORAGE_FAILURE`. */
export const storableProcedure = storable('procedure', ProcedureBodyCodec);

const procedureJson = toJson('procedure');

/** The JSON body the SQL stores write (`JSON.stringify` turns every Date into its ISO string), once it is storable. */
export const procedureBody = (procedure: SignatureProcedure): E.Either<StorageError, string> => {
  const storable = storableProcedure(procedure);
  return E.isLeft(storable) ? storable : procedureJson(procedure);
};
