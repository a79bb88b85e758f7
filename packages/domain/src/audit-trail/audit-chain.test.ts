import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../shared/hash.js';
import type { Sha256Hex } from '../shared/types.js';
import { at, seconds, T0 } from '../test-support/fixtures.js';
import {
  appendToChain,
  canonicalEvent,
  chainHead,
  GENESIS_HASH,
  verifyChain,
  verifyChainAgainstHead,
} from './audit-chain.js';
import type { AuditEvent, AuditEventDraft, AuditEventType } from './audit-event.js';

const drafts: ReadonlyArray<AuditEventDraft> = [
  { type: 'procedure_created', at: T0, actor: 'sender', data: { senderId: 'u1', quoteNumber: 'Q-1' } },
  { type: 'invitation_sent', at: at(T0, seconds(1)), actor: 'system', data: {} },
  {
    type: 'opened',
    at: at(T0, seconds(2)),
    actor: 'signer',
    ip: '203.0.113.7',
    userAgent: 'Firefox',
    data: {},
  },
  { type: 'code_rejected', at: at(T0, seconds(3)), actor: 'signer', data: { attemptsLeft: 2 } },
];
const chain = appendToChain([], drafts);

const edit = (index: number, change: Partial<AuditEvent>): ReadonlyArray<AuditEvent> =>
  chain.map((event, i) => (i === index ? { ...event, ...change } : event));

describe('audit chain', () => {
  it('numbers events and links each to the previous hash', () => {
    expect(chain.map((e) => e.sequence)).toEqual([0, 1, 2, 3]);
    expect(chain[0]?.previousHash).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) expect(chain[i]?.previousHash).toBe(chain[i - 1]?.hash);
    expect(chainHead(chain)).toBe(chain[3]?.hash);
    expect(chainHead([])).toBe(GENESIS_HASH);
    expect(verifyChain(chain)).toEqual({ valid: true });
    expect(verifyChain([])).toEqual({ valid: true });
  });

  it('appends in several steps exactly as in one', () => {
    expect(appendToChain(appendToChain([], drafts.slice(0, 2)), drafts.slice(2))).toEqual(chain);
  });

  it('does not depend on the order of data keys', () => {
    const a = appendToChain([], [{ type: 'signed', at: T0, actor: 'signer', data: { x: 1, y: 'b' } }]);
    const b = appendToChain([], [{ type: 'signed', at: T0, actor: 'signer', data: { y: 'b', x: 1 } }]);
    expect(a[0]?.hash).toBe(b[0]?.hash);
  });

  it.each<[string, number, Partial<AuditEvent>]>([
    ['type', 1, { type: 'opened' }],
    ['time by one millisecond', 2, { at: at(T0, seconds(2) + 1) }],
    ['actor', 0, { actor: 'system' }],
    ['ip', 2, { ip: '203.0.113.8' }],
    ['ip added', 1, { ip: '203.0.113.8' }],
    ['user agent', 2, { userAgent: 'Chrome' }],
    ['empty user agent instead of none', 1, { userAgent: '' }],
    ['data value', 3, { data: { attemptsLeft: 3 } }],
    ['data value type', 3, { data: { attemptsLeft: '2' } }],
    ['data key added', 1, { data: { note: 'x' } }],
    ['data key removed', 0, { data: { senderId: 'u1' } }],
    ['sequence', 2, { sequence: 5 }],
    ['previous hash', 1, { previousHash: GENESIS_HASH }],
    ['hash', 3, { hash: '1'.repeat(64) as Sha256Hex }],
  ])('detects an edited %s', (_, index, change) => {
    expect(verifyChain(edit(index, change))).toEqual({ valid: false, brokenAt: index });
  });

  it('detects an edit whose hash was recomputed by the editor, at the next event', () => {
    const [edited] = appendToChain(chain.slice(0, 1), [{ ...drafts[1]!, data: { forged: true } }]).slice(1);
    const forged = [chain[0]!, edited!, ...chain.slice(2)];
    expect(verifyChain(forged)).toEqual({ valid: false, brokenAt: 2 });
  });

  it.each([0, 1, 2])('detects the removal of event %i', (index) => {
    const removed = chain.filter((_, i) => i !== index);
    expect(verifyChain(removed).valid).toBe(false);
    expect(verifyChainAgainstHead(removed, chainHead(chain))).toBe(false);
  });

  it('detects a removed last event against the head recorded in the proof', () => {
    const truncated = chain.slice(0, -1);
    expect(verifyChain(truncated).valid).toBe(true);
    expect(verifyChainAgainstHead(truncated, chainHead(chain))).toBe(false);
    expect(verifyChainAgainstHead(chain, chainHead(chain))).toBe(true);
  });

  it('detects reordered events', () => {
    expect(verifyChain([chain[1]!, chain[0]!, ...chain.slice(2)]).valid).toBe(false);
  });

  // Pinned: an unreadable date used to make verifyChain throw a RangeError instead of reporting the break.
  it('reports a corrupted date as a break instead of throwing', () => {
    expect(verifyChain(edit(2, { at: new Date(Number.NaN) }))).toEqual({ valid: false, brokenAt: 2 });
  });
});

/** The definition the hand-written canonical form must match byte for byte, so that anyone can re-check a chain. */
const byDefinition = (e: AuditEventDraft, sequence: number, previousHash: string): string =>
  JSON.stringify([
    sequence,
    previousHash,
    e.type,
    e.at.toISOString(),
    e.actor,
    e.ip ?? null,
    e.userAgent ?? null,
    Object.keys(e.data)
      .sort()
      .map((key) => [key, e.data[key]]),
  ]);

describe('canonical form of an event', () => {
  const anyText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('"', '\\', '\n', '\u2028', '\ud800'),
  );
  const draft = fc.record(
    {
      type: fc.constantFrom<AuditEventType>('opened', 'signed', 'code_sent', 'declined'),
      at: fc.date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('2200-01-01T00:00:00Z'),
        noInvalidDate: true,
      }),
      actor: fc.constantFrom('sender', 'signer', 'system'),
      ip: anyText,
      userAgent: anyText,
      data: fc.dictionary(anyText, fc.oneof(anyText, fc.integer(), fc.double(), fc.boolean())),
    },
    { requiredKeys: ['type', 'at', 'actor', 'data'] },
  );

  // The previous hash is always a lower-case hex digest: one this chain computed, or a stored one its codec checked.
  const anyDigest = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => hex as Sha256Hex);

  it('is exactly the JSON array of its fields, whatever the text in them', () => {
    fc.assert(
      fc.property(draft, fc.nat(), anyDigest, (event, sequence, previousHash) => {
        expect(canonicalEvent(event as AuditEventDraft, sequence, previousHash)).toBe(
          byDefinition(event as AuditEventDraft, sequence, previousHash),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('has not changed: a known event keeps its known hash', () => {
    const [event] = appendToChain(
      [],
      [{ type: 'opened', at: T0, actor: 'signer', ip: '203.0.113.7', data: { n: 1, s: 'é"' } }],
    );
    expect(canonicalEvent(event!, 0, GENESIS_HASH)).toBe(
      `[0,"${GENESIS_HASH}","opened","2025-03-20T10:00:00.000Z","signer","203.0.113.7",null,[["n",1],["s","é\\""]]]`,
    );
    expect(event?.hash).toBe(sha256Hex(canonicalEvent(event!, 0, GENESIS_HASH)));
  });
});
