import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CertificateData, CertificateSigner } from '../ports/certificate-renderer.js';
import { sha256Hex } from '../shared/hash.js';
import type { Sha256Hex } from '../shared/types.js';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { T0 } from '../test-support/fixtures.js';
import { appendToChain, canonicalEvent, chainHead, GENESIS_HASH } from './audit-chain.js';
import type { AuditEvent, AuditEventDraft, AuditEventType } from './audit-event.js';
import {
  CANONICAL_FORM,
  decodeEvidenceFile,
  EVIDENCE_FORMAT,
  EVIDENCE_FORMAT_V1,
  EVIDENCE_LIMITS,
  type EvidenceFile,
  type EvidenceFileV2,
  encodeEvidenceFile,
  evidenceOfCertificate,
  headAtSignature,
  verifyEvidenceChain,
} from './evidence-file.js';

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('"', '\\', '\n', '\u2028', '\ud800', '__proto__', 'constructor'),
);
// JSON writes -0 as 0; the canonical form does too, so the hash cannot tell them apart and neither does the file.
const anyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
);
const draft: fc.Arbitrary<AuditEventDraft> = fc.record(
  {
    type: fc.constantFrom<AuditEventType>(
      'procedure_created',
      'opened',
      'code_sent',
      'signed',
      'crm_notified',
    ),
    at: fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    actor: fc.constantFrom('sender' as const, 'signer' as const, 'system' as const),
    ip: anyText,
    userAgent: anyText,
    data: fc.dictionary(anyText, fc.oneof(anyText, anyNumber, fc.boolean()), { maxKeys: 5 }),
  },
  { requiredKeys: ['type', 'at', 'actor', 'data'] },
);
const chain = fc.array(draft, { minLength: 1, maxLength: 12 }).map((drafts) => appendToChain([], drafts));
const instant = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const signer: fc.Arbitrary<CertificateSigner> = fc.record(
  {
    name: anyText,
    email: anyText,
    maskedMobile: anyText,
    role: fc.constantFrom('contact' as const, 'countersigner' as const),
    identityCheck: fc.record({
      method: fc.constant('sms-code' as const),
      maskedMobile: anyText,
      codesSentAt: fc.array(instant, { maxLength: 4 }),
      verifiedAt: instant,
      wrongAttempts: fc.nat(),
    }),
    consentText: anyText,
    signedAt: instant,
    ip: anyText,
    userAgent: anyText,
  },
  { requiredKeys: ['name', 'email', 'maskedMobile', 'role', 'identityCheck', 'consentText', 'signedAt'] },
);
const signers = fc.array(signer, { minLength: 1, maxLength: 10 });

const oneSigner: CertificateSigner = {
  name: 'Claire',
  email: 'claire@example.fr',
  maskedMobile: '+336••••••78',
  role: 'contact',
  identityCheck: {
    method: 'sms-code',
    maskedMobile: '+336••••••78',
    codesSentAt: [T0],
    verifiedAt: T0,
    wrongAttempts: 0,
  },
  consentText: 'Bon pour accord',
  signedAt: T0,
  ip: '203.0.113.7',
};

const fileOf = (
  events: ReadonlyArray<AuditEvent>,
  headSequence = events.length - 1,
  withSigners: ReadonlyArray<CertificateSigner> = [oneSigner],
): EvidenceFileV2 => ({
  format: EVIDENCE_FORMAT,
  signingOrder: 'sequential',
  signers: withSigners,
  procedureId: 'proc-1',
  quoteNumber: 'Q-2025-001',
  tenantName: 'Acme',
  document: {
    name: 'Devis Q-2025-001.pdf',
    pageCount: 2,
    originalSha256: sha256Hex('o'),
    signedSha256: sha256Hex('s'),
  },
  signatureLevel: { legal: 'simple-electronic-signature', pades: 'B-LTA' },
  chain: {
    algorithm: 'sha256',
    canonicalForm: CANONICAL_FORM,
    headAtSignature: events[headSequence]?.hash ?? GENESIS_HASH,
    headSequence,
  },
  events,
});

const sample = appendToChain(
  [],
  [
    { type: 'procedure_created', at: T0, actor: 'sender', data: { quoteNumber: 'Q-2025-001' } },
    { type: 'opened', at: new Date(T0.getTime() + 1000), actor: 'signer', ip: '203.0.113.7', data: {} },
    { type: 'signed', at: new Date(T0.getTime() + 2000), actor: 'signer', data: { credit: 'captured' } },
    {
      type: 'follow_up_created',
      at: new Date(T0.getTime() + 3000),
      actor: 'system',
      data: { actionId: 'a1' },
    },
  ],
);
const sampleFile = fileOf(sample, 2);

describe('evidence file', () => {
  it('decodes what it encodes, for any chain and 1 to 10 signers in either order', () => {
    fc.assert(
      fc.property(
        chain,
        signers,
        fc.constantFrom('sequential' as const, 'parallel' as const),
        (events, list, order) => {
          const file: EvidenceFile = { ...fileOf(events, events.length - 1, list), signingOrder: order };
          const decoded = assertRight(decodeEvidenceFile(encodeEvidenceFile(file)));
          expect(decoded).toEqual(file);
          expect(verifyEvidenceChain(decoded)).toEqual({ valid: true });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('still reads and verifies a version 1 file, written before several signers, and writes it back the same', () => {
    const {
      signers: _,
      signingOrder: __,
      ...rest
    } = sampleFile as Extract<EvidenceFile, { signers: unknown }>;
    const v1: EvidenceFile = { ...rest, format: EVIDENCE_FORMAT_V1 };
    const text = encodeEvidenceFile(v1);
    expect(JSON.parse(text)).not.toHaveProperty('signers');
    const decoded = assertRight(decodeEvidenceFile(text));
    expect(decoded).toEqual(v1);
    expect(encodeEvidenceFile(decoded)).toBe(text);
    expect(verifyEvidenceChain(decoded)).toEqual({ valid: true });
    // A version 1 file has no signers: one stating some is neither version.
    const withSigners = { ...JSON.parse(text), signers: JSON.parse(encodeEvidenceFile(sampleFile)).signers };
    expect(String(assertLeft(decodeEvidenceFile(JSON.stringify(withSigners))).details?.fields)).toContain(
      'signers',
    );
  });

  it('catches any edited event of any chain, whatever field was changed', () => {
    const field = fc.constantFrom('type', 'at', 'actor', 'ip', 'data', 'sequence', 'previousHash');
    fc.assert(
      fc.property(chain, fc.nat(), field, (events, pick, name) => {
        const index = pick % events.length;
        const json = JSON.parse(encodeEvidenceFile(fileOf(events)));
        const event = json.events[index];
        if (name === 'type') event.type = event.type === 'opened' ? 'signed' : 'opened';
        if (name === 'at') event.at = new Date(Date.parse(event.at) + 1).toISOString();
        if (name === 'actor') event.actor = event.actor === 'system' ? 'signer' : 'system';
        if (name === 'ip') event.ip = `${event.ip ?? ''}x`;
        if (name === 'data') event.data = { ...event.data, edited: true };
        if (name === 'sequence') event.sequence += 1;
        if (name === 'previousHash') event.previousHash = '1'.repeat(64);
        const edited = assertRight(decodeEvidenceFile(JSON.stringify(json)));
        expect(verifyEvidenceChain(edited).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('catches an edit whose hashes were all recomputed: the head printed at signature no longer matches', () => {
    const forged = appendToChain(
      [],
      sample.map((e, i) => (i === 1 ? { ...e, ip: '198.51.100.1' } : e)),
    );
    expect(verifyEvidenceChain({ ...sampleFile, events: forged })).toEqual({
      valid: false,
      reason: 'head-mismatch',
    });
  });

  it('catches a removed or reordered event and a chain cut before the signature', () => {
    expect(verifyEvidenceChain({ ...sampleFile, events: [sample[0]!, sample[2]!, sample[3]!] }).valid).toBe(
      false,
    );
    expect(
      verifyEvidenceChain({ ...sampleFile, events: [sample[1]!, sample[0]!, ...sample.slice(2)] }).valid,
    ).toBe(false);
    expect(verifyEvidenceChain({ ...sampleFile, events: sample.slice(0, 2) })).toEqual({
      valid: false,
      reason: 'head-mismatch',
    });
  });

  it('accepts events chained after the signature, and prints the head at signature, not the last', () => {
    expect(verifyEvidenceChain(sampleFile)).toEqual({ valid: true });
    expect(headAtSignature(sample)).toBe(sample[2]?.hash);
    expect(headAtSignature(sample)).not.toBe(chainHead(sample));
    expect(headAtSignature(sample.slice(0, 2))).toBe(chainHead(sample.slice(0, 2)));
  });

  it('states a canonical form that re-computes every hash, as a reader following it would', () => {
    for (const event of sample) {
      const { sequence, previousHash, type, at, actor, ip, userAgent, data } = event;
      const byHand = JSON.stringify([
        sequence,
        previousHash,
        type,
        at.toISOString(),
        actor,
        ip ?? null,
        userAgent ?? null,
        Object.keys(data)
          .sort()
          .map((key) => [key, data[key]]),
      ]);
      expect(byHand).toBe(canonicalEvent(event, sequence, previousHash));
      expect(sha256Hex(byHand)).toBe(event.hash);
    }
    expect(CANONICAL_FORM).toContain('JSON.stringify([sequence, previousHash, type, at, actor');
  });

  it('writes the same text twice and keeps a fixed field order', () => {
    const text = encodeEvidenceFile(sampleFile);
    expect(encodeEvidenceFile(sampleFile)).toBe(text);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'format',
      'procedureId',
      'quoteNumber',
      'tenantName',
      'document',
      'signatureLevel',
      'chain',
      'signingOrder',
      'signers',
      'events',
    ]);
    expect(Object.keys(JSON.parse(text).signers[0])).toEqual([
      'name',
      'email',
      'maskedMobile',
      'role',
      'identityCheck',
      'consentText',
      'signedAt',
      'ip',
    ]);
    expect(Object.keys(JSON.parse(text).events[1])).toEqual([
      'sequence',
      'type',
      'at',
      'actor',
      'ip',
      'data',
      'previousHash',
      'hash',
    ]);
  });

  // biome-ignore lint/suspicious/noExplicitAny: the tests edit the parsed JSON freely, as a forger would.
  type Json = Record<string, any>;
  const json = (): Json => JSON.parse(encodeEvidenceFile(sampleFile));
  it.each<[string, (file: Json) => void, string]>([
    ['an unknown field', (f) => (f.extra = 1), 'extra'],
    ['an unknown event field', (f) => (f.events[0].note = 'x'), 'events.0.note'],
    ['another format', (f) => (f.format = 'paraphe-evidence/3'), 'format'],
    ['no signer', (f) => (f.signers = []), 'signers'],
    [
      'more signers than a procedure may have',
      (f) => (f.signers = Array(EVIDENCE_LIMITS.signers + 1).fill(f.signers[0])),
      'signers',
    ],
    ['signers that are not a list', (f) => (f.signers = { 0: f.signers[0] }), 'signers'],
    ['an unknown signer field', (f) => (f.signers[0].mobile = '+33612345678'), 'signers.0.mobile'],
    ['an unknown role', (f) => (f.signers[0].role = 'witness'), 'signers.0.role'],
    ['an unknown signing order', (f) => (f.signingOrder = 'random'), 'signingOrder'],
    ['a signature time that is not ISO', (f) => (f.signers[0].signedAt = 'today'), 'signers.0.signedAt'],
    [
      'too many codes sent',
      (f) =>
        (f.signers[0].identityCheck.codesSentAt = Array(EVIDENCE_LIMITS.codesSent + 1).fill(
          f.signers[0].signedAt,
        )),
      'signers.0.identityCheck.codesSentAt',
    ],
    [
      'a negative count of wrong attempts',
      (f) => (f.signers[0].identityCheck.wrongAttempts = -1),
      'signers.0.identityCheck.wrongAttempts',
    ],
    ['a short hash', (f) => (f.events[1].hash = 'abc'), 'events.1.hash'],
    [
      'an upper-case head',
      (f) => (f.chain.headAtSignature = f.chain.headAtSignature.toUpperCase()),
      'chain.headAtSignature',
    ],
    ['a date that is not ISO', (f) => (f.events[0].at = '20 March 2025'), 'events.0.at'],
    ['an unknown event type', (f) => (f.events[0].type = 'hacked'), 'events.0.type'],
    ['an unknown actor', (f) => (f.events[0].actor = 'admin'), 'events.0.actor'],
    ['a nested data value', (f) => (f.events[0].data = { a: { b: 1 } }), 'events.0.data'],
    ['a negative page count', (f) => (f.document.pageCount = -1), 'document.pageCount'],
    ['a claimed advanced signature', (f) => (f.signatureLevel.legal = 'advanced'), 'signatureLevel.legal'],
    ['an unknown PAdES level', (f) => (f.signatureLevel.pades = 'B-X'), 'signatureLevel.pades'],
    ['events that are not a list', (f) => (f.events = {}), 'events'],
    ['too many events', (f) => (f.events = Array(EVIDENCE_LIMITS.events + 1).fill(f.events[0])), 'events'],
    ['a text over its bound', (f) => (f.quoteNumber = 'x'.repeat(EVIDENCE_LIMITS.text + 1)), 'quoteNumber'],
  ])('refuses %s with INVALID_INPUT naming the field', (_, change, field) => {
    const file = json();
    change(file);
    const error = assertLeft(decodeEvidenceFile(JSON.stringify(file)));
    expect(error.code).toBe('INVALID_INPUT');
    expect(String(error.details?.fields).split(', ')).toContain(field);
  });

  it.each([
    ['not JSON', '{"format":'],
    ['JSON that is not an object', '[1, 2]'],
    ['a file over its bound', ' '.repeat(EVIDENCE_LIMITS.fileLength + 1)],
  ])('refuses %s with INVALID_INPUT', (_, text) => {
    expect(assertLeft(decodeEvidenceFile(text)).code).toBe('INVALID_INPUT');
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        decodeEvidenceFile(text);
      }),
    );
  });

  it('keeps a head that is a real digest', () => {
    const head = assertRight(decodeEvidenceFile(encodeEvidenceFile(sampleFile))).chain.headAtSignature;
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    expect(head satisfies Sha256Hex).toBe(sample[2]?.hash);
  });

  describe('of a certificate', () => {
    const upToSignature = sample.slice(0, 3);
    const data = {
      language: 'fr',
      timeZone: 'Europe/Paris',
      procedureId: 'proc-1',
      quoteNumber: 'Q-2025-001',
      tenantName: 'Acme',
      sender: { name: 'Bob' },
      document: { name: 'Q-2025-001.pdf', pageCount: 2 },
      originalSha256: sha256Hex('o'),
      signedSha256: sha256Hex('s'),
      signers: [oneSigner, { ...oneSigner, name: 'Bob', role: 'countersigner', email: 'bob@acme.example' }],
      signingOrder: 'sequential',
      signedAt: T0,
      events: upToSignature,
      auditChainHead: upToSignature[2]!.hash,
    } satisfies CertificateData;

    it('states the head it prints, its sequence, and every event up to it', () => {
      const file = evidenceOfCertificate(data, 'B-T');
      expect(file.chain).toMatchObject({
        headAtSignature: upToSignature[2]?.hash,
        headSequence: 2,
        algorithm: 'sha256',
      });
      expect(file.signatureLevel).toEqual({ legal: 'simple-electronic-signature', pades: 'B-T' });
      expect(file.format).toBe(EVIDENCE_FORMAT);
      expect(file.signers).toEqual(data.signers);
      expect(file.signingOrder).toBe('sequential');
      expect(file.document).toEqual({
        ...data.document,
        originalSha256: data.originalSha256,
        signedSha256: data.signedSha256,
      });
      expect(verifyEvidenceChain(assertRight(decodeEvidenceFile(encodeEvidenceFile(file))))).toEqual({
        valid: true,
      });
    });

    it('cannot be re-checked when the head it prints is no event of its chain', () => {
      const file = evidenceOfCertificate({ ...data, auditChainHead: sha256Hex('elsewhere') }, 'B-B');
      expect(verifyEvidenceChain(file)).toEqual({ valid: false, reason: 'head-mismatch' });
    });
  });
});
