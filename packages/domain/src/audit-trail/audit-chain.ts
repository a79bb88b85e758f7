import { sha256Hex } from '../shared/hash.js';
import type { Sha256Hex } from '../shared/types.js';
import type { AuditEvent, AuditEventDraft } from './audit-event.js';

/** The `previousHash` of a procedure's first event. */
export const GENESIS_HASH = '0'.repeat(64) as Sha256Hex;

const canonical = (event: AuditEventDraft, sequence: number, previousHash: string): string =>
  JSON.stringify([
    sequence,
    previousHash,
    event.type,
    event.at.toISOString(),
    event.actor,
    event.ip ?? null,
    event.userAgent ?? null,
    Object.keys(event.data)
      .sort()
      .map((key) => [key, event.data[key]]),
  ]);

const hashOf = (event: AuditEventDraft, sequence: number, previousHash: string): Sha256Hex =>
  sha256Hex(canonical(event, sequence, previousHash));

export const chainHead = (events: ReadonlyArray<AuditEvent>): Sha256Hex =>
  events[events.length - 1]?.hash ?? GENESIS_HASH;

/** Appends drafts to a chain: each event's hash covers its content and the previous hash. */
export const appendToChain = (
  chain: ReadonlyArray<AuditEvent>,
  drafts: ReadonlyArray<AuditEventDraft>,
): ReadonlyArray<AuditEvent> => {
  const out = [...chain];
  for (const draft of drafts) {
    const sequence = out.length;
    const previousHash = chainHead(out);
    out.push({ ...draft, sequence, previousHash, hash: hashOf(draft, sequence, previousHash) });
  }
  return out;
};

export type ChainCheck = { readonly valid: true } | { readonly valid: false; readonly brokenAt: number };

/** A chain verifies when every event is numbered in order and its hash and link are intact. */
export const verifyChain = (chain: ReadonlyArray<AuditEvent>): ChainCheck => {
  let previousHash: string = GENESIS_HASH;
  for (let i = 0; i < chain.length; i++) {
    const event = chain[i]!;
    if (
      event.sequence !== i ||
      event.previousHash !== previousHash ||
      event.hash !== hashOf(event, i, previousHash)
    ) {
      return { valid: false, brokenAt: i };
    }
    previousHash = event.hash;
  }
  return { valid: true };
};

/** Verifies a chain against a head recorded elsewhere (the proof), so a truncated tail is caught too. */
export const verifyChainAgainstHead = (chain: ReadonlyArray<AuditEvent>, head: Sha256Hex): boolean =>
  verifyChain(chain).valid && chainHead(chain) === head;
