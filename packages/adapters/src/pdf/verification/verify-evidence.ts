import type { EvidenceFile } from '@paraphe/domain';
import { attachedFiles } from './attached-files.js';
import {
  type AttachedEvidence,
  type ChainCheck,
  checkAttachedChain,
  checkDocumentHashes,
  checkSigners,
  checkTimelineChain,
  evidenceAmong,
  type HashMatch,
  MAX_EVIDENCE_BYTES,
  type SignersCheck,
} from './evidence-check.js';
import { readLayers } from './pdf-layers.js';
import { revisionsOf } from './revisions.js';
import type { TimelineFile } from './timeline-file.js';
import { type DocumentVerification, verifyPdfDocument } from './verify-document.js';

export interface CertificateVerification {
  /** The certificate PDF's own signatures. */
  readonly document: DocumentVerification;
  readonly evidence: AttachedEvidence;
  readonly originalSha256?: HashMatch;
  readonly signedSha256?: HashMatch;
  /** One valid signature in the document per signer the certificate names (absent for version 1 evidence). */
  readonly signers?: SignersCheck;
  /** The chain the certificate carries, against its own head at signature. */
  readonly attachedChain?: ChainCheck;
  /** The timeline given apart, against the certificate's head at signature. */
  readonly timelineChain?: ChainCheck;
}

export interface EvidenceVerification {
  readonly valid: boolean;
  readonly document: DocumentVerification;
  readonly certificate?: CertificateVerification;
}

export interface EvidenceInput {
  readonly document: Uint8Array;
  readonly certificate?: Uint8Array;
  /** Needs the certificate: the head it is checked against is the one the certificate states. */
  readonly timeline?: TimelineFile;
}

const evidenceOf = async (certificate: Uint8Array): Promise<AttachedEvidence> => {
  const revisions = revisionsOf(certificate);
  return evidenceAmong(attachedFiles(await readLayers(certificate, revisions), MAX_EVIDENCE_BYTES));
};

const verifyCertificate = async (
  input: EvidenceInput & { readonly certificate: Uint8Array },
  document: DocumentVerification,
): Promise<CertificateVerification> => {
  const own = await verifyPdfDocument(input.certificate);
  const evidence =
    own.tooComplex === undefined
      ? await evidenceOf(input.certificate)
      : { found: false as const, reason: 'none' as const };
  if (!evidence.found) return { document: own, evidence };
  const file: EvidenceFile = evidence.evidence;
  const hashes = checkDocumentHashes(input.document, document, file);
  const signers = checkSigners(file, document, hashes);
  return {
    document: own,
    evidence,
    ...(hashes.original === undefined ? {} : { originalSha256: hashes.original }),
    ...(hashes.signed === undefined ? {} : { signedSha256: hashes.signed }),
    ...(signers === undefined ? {} : { signers }),
    attachedChain: checkAttachedChain(file),
    ...(input.timeline === undefined ? {} : { timelineChain: checkTimelineChain(input.timeline, file) }),
  };
};

const certificateHolds = (c: CertificateVerification): boolean =>
  c.document.valid &&
  c.evidence.found &&
  c.originalSha256?.matches === true &&
  c.signedSha256?.matches === true &&
  c.signers?.matches !== false &&
  c.attachedChain?.valid === true &&
  c.timelineChain?.valid !== false;

/**
 * Verifies a signed PDF and, given its certificate of signature, the hashes and the audit chain the certificate
 * carries; given a timeline too, that timeline against the certificate's head at signature. No I/O but the bytes.
 */
export const verifyEvidence = async (input: EvidenceInput): Promise<EvidenceVerification> => {
  const document = await verifyPdfDocument(input.document);
  const certificate =
    input.certificate === undefined
      ? undefined
      : await verifyCertificate({ ...input, certificate: input.certificate }, document);
  return {
    valid: document.valid && (certificate === undefined || certificateHolds(certificate)),
    document,
    ...(certificate === undefined ? {} : { certificate }),
  };
};
