import type { DocumentInfo, DocumentSealer, SealingError, SealRequest } from '@paraphe/domain';
import { MAX_SIGNERS, sealingError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createCadesSignature } from './cms-signature.js';
import { appendDocumentTimestamp } from './document-timestamp.js';
import { appendDss } from './dss.js';
import { embedSignature, type PreparedSignature, prepareSignature } from './incremental-signature.js';
import { saveIncrement, trackOnlyChanges } from './incremental-update.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, loadForIncrementalUpdate } from './load-pdf.js';
import { atLeast, type PadesLevel, padesLevelOf } from './pades-level.js';
import { clip, PRINT_LIMITS } from './print-limits.js';
import { makeHttpRevocationSource, type RevocationSource } from './revocation-source.js';
import { addSignatureField } from './signature-field.js';
import { addSignatureSlots, fillSignatureSlot, hasSignatureSlots } from './signature-slots.js';
import {
  loadSigningIdentity,
  type SigningIdentity,
  type SigningIdentityConfig,
} from './signing-identity-loader.js';
import { stampLines } from './stamp.js';
import {
  requestSignatureTimestamp,
  type TimestampAuthorityConfig,
  tokenCertificates,
} from './timestamp-client.js';
import { collectValidationData } from './validation-data.js';

export interface PadesSealerConfig {
  readonly identity: SigningIdentityConfig;
  /** When set, each signature gets an RFC 3161 timestamp (PAdES B-T). Required above B-B. */
  readonly timestampAuthority?: TimestampAuthorityConfig;
  /**
   * B-B, B-T (signature timestamp), B-LT (then certificates and revocation data in the /DSS) or B-LTA (then a
   * document timestamp); B-T by default with a TSA, B-B without. Above B-B without a TSA every seal is refused
   * with INVALID_CONFIG. At B-LT and B-LTA a seal whose revocation data cannot be had is refused
   * (SEALING_FAILURE), never downgraded: a level lower than configured would be found out only by an audit.
   */
  readonly level?: PadesLevel;
  /** Where B-LT gets OCSP responses and CRLs; over HTTP with timeouts and a cache by default. */
  readonly revocation?: RevocationSource;
  /** Larger documents are refused with DOCUMENT_TOO_LARGE; 25 MB by default. */
  readonly maxDocumentBytes?: number;
  readonly reason?: { readonly fr: string; readonly en: string };
  readonly contactInfo?: string;
  readonly location?: string;
}

const DEFAULT_REASON = { fr: 'Signature électronique du devis', en: 'Electronic signature of the quote' };

const sealingFailure = (e: unknown): SealingError =>
  sealingError('SEALING_FAILURE', { reason: e instanceof Error ? e.message.slice(0, 200) : String(e) });

// Room for the chain and signature, plus a TSA token with its own chain when timestamping.
const reservedBytesFor = (identity: SigningIdentity, timestamped: boolean): number =>
  identity.certificatesDer.reduce((sum, der) => sum + der.length, 0) + 4096 + (timestamped ? 12288 : 0);

interface Signed {
  readonly pdf: Uint8Array;
  readonly prepared: PreparedSignature;
  readonly token: Uint8Array | undefined;
}

/** The signature's /Contents as stored (DER then zero padding), which the /VRI key hashes. */
const signatureContents = (signed: Signed): Uint8Array => {
  const [, holeStart, holeEnd] = signed.prepared.byteRange;
  return new Uint8Array(
    Buffer.from(Buffer.from(signed.pdf.subarray(holeStart + 1, holeEnd - 1)).toString('latin1'), 'hex'),
  );
};

const linesFor = (request: SealRequest): E.Either<SealingError, ReadonlyArray<string>> =>
  E.tryCatch(
    () => stampLines(request),
    () => sealingError('INVALID_INPUT', { field: 'timeZone', value: request.timeZone.slice(0, 64) }),
  );

// A slot names one of 1..MAX_SIGNERS signers; anything else is the caller's mistake, refused before any work.
const checkSlot = (request: SealRequest): E.Either<SealingError, SealRequest> => {
  const slot = request.slot;
  if (slot === undefined) return E.right(request);
  const { position, count } = slot;
  const valid =
    Number.isInteger(count) &&
    Number.isInteger(position) &&
    count >= 1 &&
    count <= MAX_SIGNERS &&
    position >= 0 &&
    position < count;
  return valid
    ? E.right(request)
    : E.left(sealingError('INVALID_INPUT', { field: 'slot', value: `${position}/${count}`.slice(0, 64) }));
};

/**
 * PAdES sealer: a visible stamp and a CAdES signature appended as an incremental update (B-B), with a signature
 * timestamp (B-T), then a /DSS update (B-LT), then a document timestamp update (B-LTA), as configured.
 */
export const makePadesDocumentSealer = (config: PadesSealerConfig): DocumentSealer =>
  // Parsed once: every seal reuses the key object and the parsed chain.
  makePadesDocumentSealerWith(config, loadSigningIdentity(config.identity));

/** For adapters sharing one parsed identity (the certificate renderer prints its fingerprint). */
export const makePadesDocumentSealerWith = (
  config: PadesSealerConfig,
  identity: TE.TaskEither<SealingError, SigningIdentity>,
): DocumentSealer => {
  const maxBytes = config.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const reason = config.reason ?? DEFAULT_REASON;
  const levelOrError = padesLevelOf(config);
  // One per sealer, so its cache serves every seal.
  const revocation = config.revocation ?? makeHttpRevocationSource();

  const inspect = (document: Uint8Array): TE.TaskEither<SealingError, DocumentInfo> =>
    pipe(
      loadForIncrementalUpdate(document, maxBytes),
      TE.map((pdf) => ({ pageCount: pdf.getPageCount() })),
    );

  const sign = (request: SealRequest, id: SigningIdentity, lines: ReadonlyArray<string>) =>
    pipe(
      loadForIncrementalUpdate(request.document, maxBytes),
      TE.chain((pdf) =>
        TE.tryCatch(async () => {
          const reservedBytes = reservedBytesFor(id, config.timestampAuthority !== undefined);
          const fields = {
            signedAt: request.signedAt,
            // Bounded like the stamp: a viewer shows it in its signature panel; the audit trail keeps the full name.
            name: clip(request.signerName, PRINT_LIMITS.name),
            reason: reason[request.language],
            reservedBytes,
            ...(config.contactInfo === undefined ? {} : { contactInfo: config.contactInfo }),
            ...(config.location === undefined ? {} : { location: config.location }),
          };
          // One signer (no slot, or a slot of one): the lone field as before, named Signature<n>.
          if (request.slot === undefined || request.slot.count === 1)
            await addSignatureField(pdf, lines, fields);
          else {
            const slot = { ...request.slot, procedureId: request.procedureId };
            trackOnlyChanges(pdf);
            if (hasSignatureSlots(pdf, slot.procedureId)) await fillSignatureSlot(pdf, slot, lines, fields);
            else await addSignatureSlots(pdf, slot, lines, request.language, fields);
          }
          return prepareSignature(request.document, await saveIncrement(pdf));
        }, sealingFailure),
      ),
      // The key signs through its port, maybe a KMS call away: a task of its own, its failure typed.
      TE.chain((prepared) =>
        pipe(
          createCadesSignature(id, prepared.digest),
          TE.map((cades) => ({ prepared, cades })),
        ),
      ),
      TE.chain(({ prepared, cades }) => {
        const tsa = config.timestampAuthority;
        const token: TE.TaskEither<SealingError, Uint8Array | undefined> =
          tsa === undefined ? TE.right(undefined) : requestSignatureTimestamp(tsa, cades.signatureValue);
        return pipe(
          token,
          TE.chainEitherK((t) =>
            E.tryCatch(
              () => ({ pdf: embedSignature(prepared, cades.encode(t)), prepared, token: t }),
              sealingFailure,
            ),
          ),
        );
      }),
    );

  // B-LT: the chains of the signer and of the TSA, with their revocation data, in a /DSS update.
  const withValidationData = (id: SigningIdentity, signed: Signed): TE.TaskEither<SealingError, Uint8Array> =>
    pipe(
      E.tryCatch(
        () => [...id.certificatesDer, ...(signed.token === undefined ? [] : tokenCertificates(signed.token))],
        sealingFailure,
      ),
      TE.fromEither,
      TE.chain((certificates) => collectValidationData(revocation, certificates)),
      TE.chain((data) =>
        TE.tryCatch(() => appendDss(signed.pdf, data, signatureContents(signed)), sealingFailure),
      ),
    );

  const extend = (level: PadesLevel, id: SigningIdentity) => (signed: Signed) =>
    !atLeast(level, 'B-LT')
      ? TE.right(signed.pdf)
      : pipe(
          withValidationData(id, signed),
          TE.chain((pdf) =>
            atLeast(level, 'B-LTA') && config.timestampAuthority !== undefined
              ? appendDocumentTimestamp(config.timestampAuthority, pdf, sealingFailure)
              : TE.right(pdf),
          ),
        );

  const seal = (request: SealRequest): TE.TaskEither<SealingError, Uint8Array> =>
    pipe(
      TE.Do,
      TE.apS('valid', TE.fromEither(checkSlot(request))),
      TE.apS('id', identity),
      TE.apS('lines', TE.fromEither(linesFor(request))),
      TE.chain(({ id, lines }) =>
        pipe(
          TE.fromEither(levelOrError),
          TE.chain((level) => pipe(sign(request, id, lines), TE.chain(extend(level, id)))),
        ),
      ),
    );

  return { inspect, seal };
};
