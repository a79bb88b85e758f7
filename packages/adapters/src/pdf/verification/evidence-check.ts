import { createHash } from 'node:crypto';
import {
  type AuditEvent,
  decodeEvidenceFile,
  EVIDENCE_LIMITS,
  type EvidenceFile,
  verifyEvidenceChain,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type { AttachedFile } from './attached-files.js';
import { recomputeChain, type TimelineFile } from './timeline-file.js';
import type { DocumentVerification } from './verify-document.js';

/** UTF-8 takes at most 3 bytes per UTF-16 code unit: the bytes of the longest evidence file the codec accepts. */
export const MAX_EVIDENCE_BYTES = EVIDENCE_LIMITS.fileLength * 3;

export type AttachedEvidence =
  | { readonly found: true; readonly name: string; readonly evidence: EvidenceFile }
  | { readonly found: false; readonly reason: 'none' | 'unreadable'; readonly name?: string };

/** The proof bundle among a certificate's attached files: the first JSON file that decodes as one. */
export const evidenceAmong = (files: ReadonlyArray<AttachedFile>): AttachedEvidence => {
  const json = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  for (const file of json) {
    if (file.bytes === undefined) continue;
    const decoded = decodeEvidenceFile(Buffer.from(file.bytes).toString('utf8'));
    if (E.isRight(decoded)) return { found: true, name: file.name, evidence: decoded.right };
  }
  return json[0] === undefined
    ? { found: false, reason: 'none' }
    : { found: false, reason: 'unreadable', name: json[0].name };
};

export interface HashMatch {
  readonly expected: string;
  readonly matches: boolean;
  /** The revision (1 = the original file) whose prefix of the file has this hash. */
  readonly revision?: number;
}

// The end-of-line after %%EOF belongs to whoever wrote it: an original may end with it or without it, and an update
// may start with its own. Each prefix from %%EOF to the next revision's start (whitespace, a few bytes) is a candidate.
const MAX_EOL_BYTES = 64;

/**
 * The hash of every prefix of the file that ends a revision, mapped to that revision: one pass over the file (a copy
 * of the running hash at each candidate end), so many revisions cost no more than one hash of the file.
 */
const revisionHashes = (pdf: Uint8Array, document: DocumentVerification): ReadonlyMap<string, number> => {
  const hashes = new Map<string, number>();
  const running = createHash('sha256');
  let at = 0;
  for (const r of document.revisions) {
    if (!r.complete) break;
    running.update(pdf.subarray(at, r.eofAt));
    at = r.eofAt;
    const last = Math.min(r.end, r.eofAt + MAX_EOL_BYTES);
    for (;;) {
      const hex = running.copy().digest('hex');
      if (!hashes.has(hex)) hashes.set(hex, r.index);
      if (at >= last) break;
      running.update(pdf.subarray(at, at + 1));
      at += 1;
    }
  }
  return hashes;
};

/**
 * The original is a revision before the first signature; the signed document is the file itself, or a revision of it
 * after which only validation data, document timestamps and signatures were appended.
 */
export const matchDocumentHashes = (
  pdf: Uint8Array,
  document: DocumentVerification,
  expected: { readonly originalSha256?: string; readonly signedSha256?: string },
): { readonly original?: HashMatch; readonly signed?: HashMatch } => {
  // The original is a revision some later signature covers: with a document signed before Paraphe sealed it, that
  // earlier signature's revision is the original.
  const lastSigned = Math.max(
    ...document.signatures.filter((s) => s.kind === 'signature').map((s) => s.revision ?? 0),
  );
  let computed: ReadonlyMap<string, number> | undefined;
  const hashes = () => {
    computed ??= revisionHashes(pdf, document);
    return computed;
  };
  const match = (hash: string | undefined, accept: (revision: number) => boolean): HashMatch | undefined => {
    if (hash === undefined) return undefined;
    const found = hashes().get(hash);
    const revision = found === undefined ? undefined : found + 1;
    return {
      expected: hash,
      matches: revision !== undefined && accept(revision),
      ...(revision === undefined ? {} : { revision }),
    };
  };
  const original = match(expected.originalSha256, (revision) => revision < lastSigned);
  const signed = match(expected.signedSha256, (revision) =>
    // A revision at or after a valid signature, everything after which is an allowed addition (B-LT ends on a /DSS).
    document.signatures.some(
      (s) => s.revision !== undefined && s.revision <= revision && s.laterChangesAllowed && s.valid,
    ),
  );
  return { ...(original === undefined ? {} : { original }), ...(signed === undefined ? {} : { signed }) };
};

export const checkDocumentHashes = (
  pdf: Uint8Array,
  document: DocumentVerification,
  evidence: EvidenceFile,
): { readonly original?: HashMatch; readonly signed?: HashMatch } =>
  matchDocumentHashes(pdf, document, evidence.document);

export interface ChainCheck {
  readonly source: 'attached' | 'timeline';
  readonly valid: boolean;
  readonly events: number;
  readonly headAtSignature: string;
  readonly headSequence: number;
  /** The first event whose hash or link does not hold, when the chain is broken before the head. */
  readonly brokenAt?: number;
}

/** The attached chain holds and its event at `headSequence` hashes to the head at signature. */
export const checkAttachedChain = (evidence: EvidenceFile): ChainCheck => {
  const result = verifyEvidenceChain(evidence);
  return {
    source: 'attached',
    valid: result.valid,
    events: evidence.events.length,
    headAtSignature: evidence.chain.headAtSignature,
    headSequence: evidence.chain.headSequence,
    ...(result.valid || result.reason !== 'chain-broken' ? {} : { brokenAt: result.brokenAt }),
  };
};

/**
 * A timeline given apart (the sender's JSON view, or an evidence file): the chain recomputed from its events must
 * reach the certificate's head at its sequence; events after it are the procedure's later life.
 */
export const checkTimelineChain = (timeline: TimelineFile, evidence: EvidenceFile): ChainCheck => {
  const chain: ReadonlyArray<AuditEvent> = recomputeChain(timeline.events);
  const { headAtSignature, headSequence } = evidence.chain;
  // Stated hashes must be the recomputed ones: an edited event with its hash left as it was is caught here too.
  const brokenAt = timeline.events.findIndex(
    (e, i) =>
      e.sequence !== i ||
      (e.hash !== undefined && e.hash !== chain[i]?.hash) ||
      (e.previousHash !== undefined && e.previousHash !== chain[i]?.previousHash),
  );
  const headHolds = chain[headSequence]?.hash === headAtSignature;
  return {
    source: 'timeline',
    valid: headHolds && brokenAt < 0,
    events: chain.length,
    headAtSignature,
    headSequence,
    ...(brokenAt < 0 ? {} : { brokenAt }),
  };
};

export interface SignersCheck {
  /** The signers the evidence names, in its order. */
  readonly names: ReadonlyArray<string>;
  /** Valid signatures (not document timestamps) after the original's revision, up to the signed document's. */
  readonly signatures: number;
  /** One valid signature per signer there: neither one missing nor one more. */
  readonly matches: boolean;
  /** When the hashes did not place the original and the signed document in the file, nothing can be counted. */
  readonly reason?: 'hashes-unmatched';
}

/**
 * The signed document holds one valid signature per signer the certificate names (version 2 evidence), between the
 * original and the signed document: a certificate stating three signers over a file two of them signed fails. A
 * version 1 file names no signer: nothing to check.
 */
export const checkSigners = (
  evidence: EvidenceFile,
  document: DocumentVerification,
  hashes: { readonly original?: HashMatch; readonly signed?: HashMatch },
): SignersCheck | undefined => {
  if (evidence.signers === undefined) return undefined;
  const names = evidence.signers.map((signer) => signer.name);
  const from = hashes.original?.matches === true ? hashes.original.revision : undefined;
  const to = hashes.signed?.matches === true ? hashes.signed.revision : undefined;
  if (from === undefined || to === undefined)
    return { names, signatures: 0, matches: false, reason: 'hashes-unmatched' };
  const signatures = document.signatures.filter(
    (s) =>
      s.kind === 'signature' && s.valid && s.revision !== undefined && s.revision > from && s.revision <= to,
  ).length;
  return { names, signatures, matches: signatures === names.length };
};
