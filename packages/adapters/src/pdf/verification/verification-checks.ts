import type { DssContents } from './report-types.js';
import type { DocumentVerification, SignatureVerification } from './verify-document.js';
import type { CertificateVerification, EvidenceVerification } from './verify-evidence.js';

/** Every check the verifier makes, by a stable name (the `--json` output and the report's lines). */
export type CheckName =
  | 'signatures-present'
  | 'byte-range'
  | 'digest'
  | 'cms-signature'
  | 'signing-certificate'
  | 'timestamp-imprint'
  | 'timestamp-signature'
  | 'later-revisions'
  | 'dss-entries'
  | 'dss-ocsp'
  | 'dss-crl'
  | 'evidence-attached'
  | 'original-sha256'
  | 'signed-sha256'
  | 'evidence-signers'
  | 'audit-chain'
  | 'timeline-chain';

export type DetailValue = string | number | boolean | ReadonlyArray<string>;

export interface NamedCheck {
  readonly name: CheckName;
  /** Which file it is about. */
  readonly file: 'document' | 'certificate';
  /** The signature's number in that file, for a signature's checks. */
  readonly signature?: number;
  readonly ok: boolean;
  readonly details: Readonly<Record<string, DetailValue>>;
}

type File = NamedCheck['file'];

const iso = (d: Date | undefined): string => (d === undefined ? '' : d.toISOString());

const signatureChecks = (file: File, s: SignatureVerification): ReadonlyArray<NamedCheck> => {
  const at = { file, signature: s.number };
  const checks: NamedCheck[] = [
    {
      name: 'byte-range',
      ...at,
      ok: s.byteRangeValid,
      details: {
        byteRange: s.byteRange.map(String),
        ...(s.revision === undefined ? {} : { revision: s.revision }),
      },
    },
  ];
  if (s.kind === 'signature') {
    checks.push(
      { name: 'digest', ...at, ok: s.digestValid, details: {} },
      {
        name: 'cms-signature',
        ...at,
        ok: s.signatureValid,
        details: s.certificateSubject === undefined ? {} : { certificate: s.certificateSubject },
      },
    );
    const required = s.subFilter === 'ETSI.CAdES.detached';
    if (s.signingCertificateBound !== undefined || required)
      checks.push({
        name: 'signing-certificate',
        ...at,
        ok: s.signingCertificateBound === true,
        details: { present: s.signingCertificateBound !== undefined },
      });
  }
  const ts = s.timestamp;
  if (ts !== undefined) {
    const about = { genTime: iso(ts.genTime), ...(ts.tsaName === undefined ? {} : { tsa: ts.tsaName }) };
    checks.push(
      { name: 'timestamp-imprint', ...at, ok: ts.imprintMatches, details: { ...about, over: s.kind } },
      { name: 'timestamp-signature', ...at, ok: ts.tsaSignatureValid, details: about },
    );
  }
  checks.push({
    name: 'later-revisions',
    ...at,
    ok: s.revision !== undefined && s.laterChangesAllowed,
    details: {
      revisions: s.laterRevisions.map((r) => String(r.revision + 1)),
      adds: [...new Set(s.laterRevisions.flatMap((r) => r.adds))],
      otherChanges: s.laterRevisions.flatMap((r) => r.otherChanges),
    },
  });
  return checks;
};

const dssChecks = (file: File, dss: DssContents): ReadonlyArray<NamedCheck> => [
  {
    name: 'dss-entries',
    file,
    ok: dss.unreadable === 0,
    details: {
      certificates: dss.certificates.length,
      ocspResponses: dss.ocspResponses.length,
      crls: dss.crls.length,
      vri: dss.vriCount,
      unreadable: dss.unreadable,
    },
  },
  ...dss.ocspResponses.map(
    (r): NamedCheck => ({
      name: 'dss-ocsp',
      file,
      ok: r.signatureValid && r.answers.every((a) => a.status !== 'revoked'),
      details: {
        producedAt: iso(r.producedAt),
        signatureValid: r.signatureValid,
        answers: r.answers.map((a) => `${a.certificate}: ${a.status}`),
      },
    }),
  ),
  ...dss.crls.map(
    (r): NamedCheck => ({
      name: 'dss-crl',
      file,
      ok: r.signatureValid && r.answers.every((a) => a.status !== 'revoked'),
      details: {
        issuer: r.issuer,
        thisUpdate: iso(r.thisUpdate),
        revoked: r.revokedCount,
        signatureValid: r.signatureValid,
        answers: r.answers.map((a) => `${a.certificate}: ${a.status}`),
      },
    }),
  ),
];

const documentChecks = (file: File, d: DocumentVerification): ReadonlyArray<NamedCheck> => [
  {
    name: 'signatures-present',
    file,
    ok: d.signatures.length > 0 && d.tooComplex === undefined,
    details: {
      signatures: d.signatures.filter((s) => s.kind === 'signature').length,
      documentTimestamps: d.signatures.filter((s) => s.kind === 'document-timestamp').length,
      revisions: d.revisions.length,
      ...(d.tooComplex === undefined ? {} : { tooMany: d.tooComplex }),
    },
  },
  ...d.signatures.flatMap((s) => signatureChecks(file, s)),
  ...(d.dss === undefined ? [] : dssChecks(file, d.dss)),
];

const certificateChecks = (c: CertificateVerification): ReadonlyArray<NamedCheck> => {
  const checks: NamedCheck[] = [...documentChecks('certificate', c.document)];
  checks.push({
    name: 'evidence-attached',
    file: 'certificate',
    ok: c.evidence.found,
    details: c.evidence.found
      ? { name: c.evidence.name, format: c.evidence.evidence.format }
      : { reason: c.evidence.reason, ...(c.evidence.name === undefined ? {} : { name: c.evidence.name }) },
  });
  for (const [name, match] of [
    ['original-sha256', c.originalSha256],
    ['signed-sha256', c.signedSha256],
  ] as const)
    if (match !== undefined)
      checks.push({
        name,
        file: 'document',
        ok: match.matches,
        details: {
          expected: match.expected,
          ...(match.revision === undefined ? {} : { revision: match.revision }),
        },
      });
  if (c.signers !== undefined)
    checks.push({
      name: 'evidence-signers',
      file: 'document',
      ok: c.signers.matches,
      details: {
        signers: c.signers.names,
        signatures: c.signers.signatures,
        ...(c.signers.reason === undefined ? {} : { reason: c.signers.reason }),
      },
    });
  for (const [name, chain] of [
    ['audit-chain', c.attachedChain],
    ['timeline-chain', c.timelineChain],
  ] as const)
    if (chain !== undefined)
      checks.push({
        name,
        file: 'certificate',
        ok: chain.valid,
        details: {
          events: chain.events,
          headSequence: chain.headSequence,
          headAtSignature: chain.headAtSignature,
          ...(chain.brokenAt === undefined ? {} : { brokenAt: chain.brokenAt }),
        },
      });
  return checks;
};

/** The report as a flat list of named checks, in the order the readable report prints them. */
export const checksOf = (report: EvidenceVerification): ReadonlyArray<NamedCheck> => [
  ...documentChecks('document', report.document),
  ...(report.certificate === undefined ? [] : certificateChecks(report.certificate)),
];
