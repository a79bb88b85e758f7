import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { type DomainError, domainError } from '../errors.js';
import type { CertificateData, CertificateSigner } from '../ports/certificate-renderer.js';
import { decodeWith, exactType, IntBetween, refinedType, Text, TextUpTo } from '../shared/decode.js';
import { isoTimestamp } from '../shared/iso-timestamp.js';
import type { ProcedureId, Sha256Hex } from '../shared/types.js';
import { MAX_SIGNERS } from '../signature-procedure/signature-procedure.js';
import { chainHead, verifyChain, verifyChainAgainstHead } from './audit-chain.js';
import { AUDIT_ACTORS, AUDIT_EVENT_TYPES, type AuditData, type AuditEvent } from './audit-event.js';

/** The name under which the certificate of signature carries the proof bundle (`pdfdetach -list certificate.pdf`). */
export const EVIDENCE_FILE_NAME = 'paraphe-evidence.json';

/**
 * The format's name and version, first in every file so a reader knows what it holds. Version 2 adds who signed
 * (`signers`, `signingOrder`); version 1 files, written before several signers, still decode and verify.
 */
export const EVIDENCE_FORMAT = 'paraphe-evidence/2';
export const EVIDENCE_FORMAT_V1 = 'paraphe-evidence/1';
export type EvidenceFormat = typeof EVIDENCE_FORMAT | typeof EVIDENCE_FORMAT_V1;

/** The PAdES baseline level (ETSI EN 319 142-1) of the seal on the signed document. */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
export const padesLevels: ReadonlyArray<PadesLevel> = ['B-B', 'B-T', 'B-LT', 'B-LTA'];

/** What each event's hash covers, in one sentence: enough to re-check the chain by hand. */
export const CANONICAL_FORM =
  'hash = lower-case hex SHA-256 of the UTF-8 text JSON.stringify([sequence, previousHash, type, at, actor, ip ?? null, userAgent ?? null, [[key, value] for each key of data, sorted by key]]), where the first event has previousHash = 64 zeros and each next one the hash of the event before it';

/**
 * The proof bundle: what the certificate states, with every event of the audit chain and its hash, so anyone can
 * re-check the chain against the head printed at signature without Paraphe.
 */
/** A signer as the certificate states them: the same fields, `role` and times included. */
export type EvidenceSigner = CertificateSigner;

interface EvidenceFileBase {
  readonly procedureId: ProcedureId;
  readonly quoteNumber: string;
  readonly tenantName: string;
  readonly document: {
    readonly name: string;
    readonly pageCount: number;
    readonly originalSha256: Sha256Hex;
    readonly signedSha256: Sha256Hex;
  };
  readonly signatureLevel: { readonly legal: 'simple-electronic-signature'; readonly pades: PadesLevel };
  readonly chain: {
    readonly algorithm: 'sha256';
    readonly canonicalForm: string;
    /** The head the certificate prints: the hash of the `signed` event. */
    readonly headAtSignature: Sha256Hex;
    readonly headSequence: number;
  };
  /** The chain from its first event up to the signature at least; later events (follow-up, CRM) may follow. */
  readonly events: ReadonlyArray<AuditEvent>;
}

/** Written before several signers: the chain and the documents, no signer. */
export interface EvidenceFileV1 extends EvidenceFileBase {
  readonly format: typeof EVIDENCE_FORMAT_V1;
  readonly signers?: undefined;
  readonly signingOrder?: undefined;
}

export interface EvidenceFileV2 extends EvidenceFileBase {
  readonly format: typeof EVIDENCE_FORMAT;
  /** Every signer, in the list's order (1 to `EVIDENCE_LIMITS.signers`). */
  readonly signers: ReadonlyArray<EvidenceSigner>;
  readonly signingOrder: 'sequential' | 'parallel';
}

export type EvidenceFile = EvidenceFileV1 | EvidenceFileV2;

/** Bounds of what a file may hold: far above any real procedure, low enough that reading a hostile one stays cheap. */
export const EVIDENCE_LIMITS = {
  /** Characters of the whole file. */
  fileLength: 16 * 1024 * 1024,
  events: 10_000,
  text: 100_000,
  dataKeys: 100,
  /** As many as a procedure may have. */
  signers: MAX_SIGNERS,
  /** SMS codes sent to one signer: the code policy allows a handful; this only bounds a hostile file. */
  codesSent: 1_000,
} as const;

const Sha256 = refinedType(
  'Sha256Hex',
  (u): u is Sha256Hex => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u),
);

const oneOf = <A extends string>(name: string, values: ReadonlyArray<A>) =>
  refinedType(name, (u): u is A => typeof u === 'string' && (values as ReadonlyArray<string>).includes(u));

/** An instant exactly as `toISOString` writes it; anything that does not round-trip fails. */
const IsoInstant = new t.Type<Date, string, unknown>(
  'IsoInstant',
  (u): u is Date => u instanceof Date && !Number.isNaN(u.getTime()),
  (u, c) => {
    if (typeof u !== 'string' || u.length > 30) return t.failure(u, c);
    const date = new Date(u);
    return Number.isNaN(date.getTime()) || date.toISOString() !== u ? t.failure(u, c) : t.success(date);
  },
  (date) => date.toISOString(),
);

const isPlainRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && Object.getPrototypeOf(u) === Object.prototype;

const isDataValue = (v: unknown): v is string | number | boolean =>
  (typeof v === 'string' && v.length <= EVIDENCE_LIMITS.text) ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  typeof v === 'boolean';

/** An event's data: at most `dataKeys` keys of bounded text, each a string, a finite number or a boolean. */
const Data = refinedType('AuditData', (u): u is AuditData => {
  if (!isPlainRecord(u)) return false;
  const keys = Object.keys(u);
  return (
    keys.length <= EVIDENCE_LIMITS.dataKeys &&
    keys.every((key) => key.length <= EVIDENCE_LIMITS.text && isDataValue(u[key]))
  );
});

const Count = IntBetween(0, Number.MAX_SAFE_INTEGER);

const EventCodec = exactType(
  {
    sequence: Count,
    type: oneOf('AuditEventType', AUDIT_EVENT_TYPES),
    at: IsoInstant,
    actor: oneOf('AuditActor', AUDIT_ACTORS),
    data: Data,
    previousHash: Sha256,
    hash: Sha256,
  },
  { ip: TextUpTo(EVIDENCE_LIMITS.text), userAgent: TextUpTo(EVIDENCE_LIMITS.text) },
  'AuditEvent',
);

const Events = new t.Type<ReadonlyArray<t.TypeOf<typeof EventCodec>>, unknown, unknown>(
  'Events',
  (u): u is ReadonlyArray<t.TypeOf<typeof EventCodec>> => Array.isArray(u) && u.every(EventCodec.is),
  (u, c) =>
    Array.isArray(u) && u.length <= EVIDENCE_LIMITS.events
      ? t.readonlyArray(EventCodec).validate(u, c)
      : t.failure(u, c),
  t.identity,
);

/** A list of `codec` of at most `max` items (at least `min`), refused from its length before any item is read. */
const BoundedList = <A, O>(name: string, codec: t.Type<A, O, unknown>, min: number, max: number) =>
  new t.Type<ReadonlyArray<A>, unknown, unknown>(
    name,
    (u): u is ReadonlyArray<A> => Array.isArray(u) && u.every(codec.is),
    (u, c) =>
      Array.isArray(u) && u.length >= min && u.length <= max
        ? t.readonlyArray(codec).validate(u, c)
        : t.failure(u, c),
    t.identity,
  );

const SignerCodec = exactType(
  {
    name: TextUpTo(EVIDENCE_LIMITS.text),
    email: TextUpTo(EVIDENCE_LIMITS.text),
    maskedMobile: TextUpTo(EVIDENCE_LIMITS.text),
    role: oneOf('SignerRole', ['contact', 'countersigner'] as const),
    identityCheck: exactType(
      {
        method: t.literal('sms-code'),
        maskedMobile: TextUpTo(EVIDENCE_LIMITS.text),
        codesSentAt: BoundedList('CodesSentAt', IsoInstant, 0, EVIDENCE_LIMITS.codesSent),
        verifiedAt: IsoInstant,
        wrongAttempts: Count,
      },
      {},
      'IdentityCheck',
    ),
    consentText: TextUpTo(EVIDENCE_LIMITS.text),
    signedAt: IsoInstant,
  },
  { ip: TextUpTo(EVIDENCE_LIMITS.text), userAgent: TextUpTo(EVIDENCE_LIMITS.text) },
  'Signer',
);

const commonFields = {
  procedureId: Text(EVIDENCE_LIMITS.text),
  quoteNumber: Text(EVIDENCE_LIMITS.text),
  tenantName: TextUpTo(EVIDENCE_LIMITS.text),
  document: exactType(
    {
      name: TextUpTo(EVIDENCE_LIMITS.text),
      pageCount: Count,
      originalSha256: Sha256,
      signedSha256: Sha256,
    },
    {},
    'Document',
  ),
  signatureLevel: exactType(
    { legal: t.literal('simple-electronic-signature'), pades: oneOf('PadesLevel', padesLevels) },
    {},
    'SignatureLevel',
  ),
  chain: exactType(
    {
      algorithm: t.literal('sha256'),
      canonicalForm: Text(EVIDENCE_LIMITS.text),
      headAtSignature: Sha256,
      headSequence: Count,
    },
    {},
    'Chain',
  ),
  events: Events,
};

const EvidenceCodecV1 = exactType(
  { format: t.literal(EVIDENCE_FORMAT_V1), ...commonFields },
  {},
  'EvidenceFile',
);

const EvidenceCodecV2 = exactType(
  {
    format: t.literal(EVIDENCE_FORMAT),
    ...commonFields,
    signingOrder: oneOf('SigningOrder', ['sequential', 'parallel'] as const),
    signers: BoundedList('Signers', SignerCodec, 1, EVIDENCE_LIMITS.signers),
  },
  {},
  'EvidenceFile',
);

/** Decodes with the codec of the version a file states; an unknown version fails on `format` alone. */
const decodeVersion = (json: unknown): E.Either<DomainError, unknown> =>
  isPlainRecord(json) && json.format === EVIDENCE_FORMAT_V1
    ? decodeWith(EvidenceCodecV1)(json)
    : decodeWith(EvidenceCodecV2)(json);

const signerJson = (signer: EvidenceSigner) => ({
  name: signer.name,
  email: signer.email,
  maskedMobile: signer.maskedMobile,
  role: signer.role,
  identityCheck: {
    method: signer.identityCheck.method,
    maskedMobile: signer.identityCheck.maskedMobile,
    codesSentAt: signer.identityCheck.codesSentAt.map(isoTimestamp),
    verifiedAt: isoTimestamp(signer.identityCheck.verifiedAt),
    wrongAttempts: signer.identityCheck.wrongAttempts,
  },
  consentText: signer.consentText,
  signedAt: isoTimestamp(signer.signedAt),
  ...(signer.ip === undefined ? {} : { ip: signer.ip }),
  ...(signer.userAgent === undefined ? {} : { userAgent: signer.userAgent }),
});

const eventJson = (event: AuditEvent) => ({
  sequence: event.sequence,
  type: event.type,
  at: isoTimestamp(event.at),
  actor: event.actor,
  ...(event.ip === undefined ? {} : { ip: event.ip }),
  ...(event.userAgent === undefined ? {} : { userAgent: event.userAgent }),
  data: event.data,
  previousHash: event.previousHash,
  hash: event.hash,
});

/** Writes the proof bundle as indented JSON, fields in a fixed order so that two writes of one file are equal. */
export const encodeEvidenceFile = (file: EvidenceFile): string =>
  `${JSON.stringify(
    {
      format: file.format,
      procedureId: file.procedureId,
      quoteNumber: file.quoteNumber,
      tenantName: file.tenantName,
      document: {
        name: file.document.name,
        pageCount: file.document.pageCount,
        originalSha256: file.document.originalSha256,
        signedSha256: file.document.signedSha256,
      },
      signatureLevel: { legal: file.signatureLevel.legal, pades: file.signatureLevel.pades },
      chain: {
        algorithm: file.chain.algorithm,
        canonicalForm: file.chain.canonicalForm,
        headAtSignature: file.chain.headAtSignature,
        headSequence: file.chain.headSequence,
      },
      // A version 1 file is written back as it was read: no signers.
      ...(file.format === EVIDENCE_FORMAT_V1
        ? {}
        : { signingOrder: file.signingOrder, signers: file.signers.map(signerJson) }),
      events: file.events.map(eventJson),
    },
    null,
    2,
  )}\n`;

const parseJson = (text: string): E.Either<DomainError, unknown> =>
  E.tryCatch(
    () => JSON.parse(text) as unknown,
    () => domainError('INVALID_INPUT', { fields: '(root)', reason: 'not JSON' }),
  );

/**
 * Reads a proof bundle of either version: `INVALID_INPUT` naming the fields for anything but this format (an unknown field, a value out
 * of bounds, a file over `EVIDENCE_LIMITS.fileLength` characters); never throws. Decoding does not verify the chain:
 * `verifyEvidenceChain` does.
 */
export const decodeEvidenceFile = (text: string): E.Either<DomainError, EvidenceFile> =>
  text.length > EVIDENCE_LIMITS.fileLength
    ? E.left(domainError('INVALID_INPUT', { fields: '(root)', reason: 'too long' }))
    : (pipe(parseJson(text), E.chain(decodeVersion)) as E.Either<DomainError, EvidenceFile>);

export type EvidenceCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: 'chain-broken'; readonly brokenAt: number }
  | { readonly valid: false; readonly reason: 'head-mismatch' };

/**
 * The chain holds when every event links to the one before it and the event at `headSequence` hashes to the head
 * printed at signature: events after it (the follow-up action, the CRM notification) must chain on from it.
 */
export const verifyEvidenceChain = (file: EvidenceFile): EvidenceCheck => {
  const whole = verifyChain(file.events);
  if (!whole.valid) return { valid: false, reason: 'chain-broken', brokenAt: whole.brokenAt };
  const upToSignature = file.events.slice(0, file.chain.headSequence + 1);
  return upToSignature.length === file.chain.headSequence + 1 &&
    verifyChainAgainstHead(upToSignature, file.chain.headAtSignature)
    ? { valid: true }
    : { valid: false, reason: 'head-mismatch' };
};

/**
 * The event whose hash is the head at signature: the last `signed` event, the one that completed the procedure (a
 * procedure with several signers has one per signer).
 */
export const signatureEvent = (events: ReadonlyArray<AuditEvent>): AuditEvent | undefined => {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]?.type === 'signed') return events[i];
  return undefined;
};

/** The head at signature of a chain that reached it; the last hash otherwise (nothing was signed yet). */
export const headAtSignature = (events: ReadonlyArray<AuditEvent>): Sha256Hex =>
  signatureEvent(events)?.hash ?? chainHead(events);

/** The proof bundle of a certificate: what it states, with the chain up to the head it prints. */
export const evidenceOfCertificate = (data: CertificateData, pades: PadesLevel): EvidenceFileV2 => {
  const found = data.events.findIndex((event) => event.hash === data.auditChainHead);
  return {
    format: EVIDENCE_FORMAT,
    procedureId: data.procedureId,
    quoteNumber: data.quoteNumber,
    tenantName: data.tenantName,
    document: {
      name: data.document.name,
      pageCount: data.document.pageCount,
      originalSha256: data.originalSha256,
      signedSha256: data.signedSha256,
    },
    signatureLevel: { legal: 'simple-electronic-signature', pades },
    chain: {
      algorithm: 'sha256',
      canonicalForm: CANONICAL_FORM,
      headAtSignature: data.auditChainHead,
      // A head matching no event cannot be re-checked: the file then says so to whoever verifies it.
      headSequence: found === -1 ? Math.max(0, data.events.length - 1) : found,
    },
    signingOrder: data.signingOrder,
    signers: data.signers,
    events: data.events,
  };
};
