import type { DocumentInfo, DocumentSealer, DomainError, SealRequest } from '@paraphe/domain';
import { domainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { withoutChangeTracking } from './change-tracking.js';
import { createCadesSignature } from './cms-signature.js';
import { embedSignature, prepareSignature } from './incremental-signature.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, loadForIncrementalUpdate } from './load-pdf.js';
import { clip, PRINT_LIMITS } from './print-limits.js';
import { addSignatureField } from './signature-field.js';
import {
  loadSigningIdentity,
  type SigningIdentity,
  type SigningIdentityConfig,
} from './signing-identity-loader.js';
import { stampLines } from './stamp.js';
import { requestSignatureTimestamp, type TimestampAuthorityConfig } from './timestamp-client.js';

export interface PadesSealerConfig {
  readonly identity: SigningIdentityConfig;
  /** When set, each signature gets an RFC 3161 timestamp (PAdES B-T). */
  readonly timestampAuthority?: TimestampAuthorityConfig;
  /** Larger documents are refused with DOCUMENT_TOO_LARGE; 25 MB by default. */
  readonly maxDocumentBytes?: number;
  readonly reason?: { readonly fr: string; readonly en: string };
  readonly contactInfo?: string;
  readonly location?: string;
}

const DEFAULT_REASON = { fr: 'Signature électronique du devis', en: 'Electronic signature of the quote' };

const sealingFailure = (e: unknown): DomainError =>
  domainError('SEALING_FAILURE', { reason: e instanceof Error ? e.message.slice(0, 200) : String(e) });

// Room for the chain and signature, plus a TSA token with its own chain when timestamping.
const reservedBytesFor = (identity: SigningIdentity, timestamped: boolean): number =>
  identity.certificatesDer.reduce((sum, der) => sum + der.length, 0) + 4096 + (timestamped ? 12288 : 0);

const linesFor = (request: SealRequest): E.Either<DomainError, ReadonlyArray<string>> =>
  E.tryCatch(
    () => stampLines(request),
    () => domainError('INVALID_INPUT', { field: 'timeZone', value: request.timeZone.slice(0, 64) }),
  );

/** PAdES B-B (B-T with a TSA) sealer: a visible stamp and a CAdES signature appended as an incremental update. */
export const makePadesDocumentSealer = (config: PadesSealerConfig): DocumentSealer =>
  // Parsed once: every seal reuses the key object and the parsed chain.
  makePadesDocumentSealerWith(config, loadSigningIdentity(config.identity));

/** For adapters sharing one parsed identity (the certificate renderer prints its fingerprint). */
export const makePadesDocumentSealerWith = (
  config: PadesSealerConfig,
  identity: TE.TaskEither<DomainError, SigningIdentity>,
): DocumentSealer => {
  const maxBytes = config.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const reason = config.reason ?? DEFAULT_REASON;

  const inspect = (document: Uint8Array): TE.TaskEither<DomainError, DocumentInfo> =>
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
          await addSignatureField(pdf, lines, {
            signedAt: request.signedAt,
            // Bounded like the stamp: a viewer shows it in its signature panel; the audit trail keeps the full name.
            name: clip(request.signerName, PRINT_LIMITS.name),
            reason: reason[request.language],
            reservedBytes,
            ...(config.contactInfo === undefined ? {} : { contactInfo: config.contactInfo }),
            ...(config.location === undefined ? {} : { location: config.location }),
          });
          // No object streams: the signature dictionary must sit at a fixed offset in plain bytes. The snapshot
          // is passed explicitly; saving only adds objects (embedded fonts, the trailer), so tracking is off.
          const snapshot = pdf.context.snapshot!;
          const increment = await withoutChangeTracking(pdf.context, () =>
            pdf.saveIncremental(snapshot, {
              useObjectStreams: false,
              objectsPerTick: Number.POSITIVE_INFINITY,
            }),
          );
          return prepareSignature(request.document, increment);
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
        const token: TE.TaskEither<DomainError, Uint8Array | undefined> =
          tsa === undefined ? TE.right(undefined) : requestSignatureTimestamp(tsa, cades.signatureValue);
        return pipe(
          token,
          TE.chainEitherK((t) => E.tryCatch(() => embedSignature(prepared, cades.encode(t)), sealingFailure)),
        );
      }),
    );

  const seal = (request: SealRequest): TE.TaskEither<DomainError, Uint8Array> =>
    pipe(
      TE.Do,
      TE.apS('id', identity),
      TE.apS('lines', TE.fromEither(linesFor(request))),
      TE.chain(({ id, lines }) => sign(request, id, lines)),
    );

  return { inspect, seal };
};
