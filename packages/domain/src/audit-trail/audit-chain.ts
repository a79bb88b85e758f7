import { sha256Hex } from '../shared/hash.js';
import { isoTimestamp } from '../shared/iso-timestamp.js';
import type { Mutable, Sha256Hex } from '../shared/types.js';
import type { AuditEvent, AuditEventDraft } from './audit-event.js';

/** The `previousHash` of a procedure's first event. */
export const GENESIS_HASH = '0'.repeat(64) as Sha256Hex;

// Printable ASCII but `"` and `\`: the characters JSON.stringify writes as they are.
const plainJson = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** What JSON writes between the quotes of a string. */
const jsonInner = (s: string): string => (plainJson.test(s) ? s : JSON.stringify(s).slice(1, -1));
const jsonValue = (v: string | number | boolean | undefined): string =>
  typeof v === 'string' ? `"${jsonInner(v)}"` : JSON.stringify(v ?? null);
const jsonOptional = (s: string | undefined): string => (s === undefined ? 'null' : `"${jsonInner(s)}"`);

// Transitions write their data keys in order: checking is cheaper than sorting.
const isSorted = (keys: ReadonlyArray<string>): boolean => {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
};

/**
 * The text an event's hash covers. It is exactly `JSON.stringify([sequence, previousHash, type, at (ISO 8601),
 * actor, ip ?? null, userAgent ?? null, [[key, value]… sorted by key]])`, written out by hand because it runs
 * for every transition; the tests check it against that definition.
 */
export const canonicalEvent = (event: AuditEventDraft, sequence: number, previousHash: Sha256Hex): string => {
  const keys = Object.keys(event.data);
  if (!isSorted(keys)) keys.sort();
  let data = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    data += `${i === 0 ? '' : ','}["${jsonInner(key)}",${jsonValue(event.data[key])}]`;
  }
  // `type` and `actor` are lower-case identifiers from closed sets (checked when stored events are decoded), and
  // `previousHash` a lower-case hex digest (computed here, or stored and checked by its codec): JSON writes them
  // as they are.
  return `[${sequence},"${previousHash}","${event.type}","${isoTimestamp(event.at)}","${event.actor}",${jsonOptional(
    event.ip,
  )},${jsonOptional(event.userAgent)},[${data}]]`;
};

const hashOf = (event: AuditEventDraft, sequence: number, previousHash: Sha256Hex): Sha256Hex =>
  sha256Hex(canonicalEvent(event, sequence, previousHash));

// Written field by field: on Node 20, `{ ...draft, sequence, previousHash, hash }` costs microseconds
// (a fresh hidden class per copy), more than hashing the event.
const chained = (
  draft: AuditEventDraft,
  sequence: number,
  previousHash: Sha256Hex,
  hash: Sha256Hex,
): AuditEvent => {
  const event: Mutable<AuditEvent> = {
    type: draft.type,
    at: draft.at,
    actor: draft.actor,
    data: draft.data,
    sequence,
    previousHash,
    hash,
  };
  if (draft.ip !== undefined) event.ip = draft.ip;
  if (draft.userAgent !== undefined) event.userAgent = draft.userAgent;
  return event;
};

export const chainHead = (events: ReadonlyArray<AuditEvent>): Sha256Hex =>
  events[events.length - 1]?.hash ?? GENESIS_HASH;

/** The event a draft becomes when appended to `chain`: numbered after it, hashed over its content and the head. */
export const chainedAfter = (chain: ReadonlyArray<AuditEvent>, draft: AuditEventDraft): AuditEvent => {
  const sequence = chain.length;
  const previousHash = chainHead(chain);
  return chained(draft, sequence, previousHash, hashOf(draft, sequence, previousHash));
};

/** Appends drafts to a chain: each event's hash covers its content and the previous hash. */
export const appendToChain = (
  chain: ReadonlyArray<AuditEvent>,
  drafts: ReadonlyArray<AuditEventDraft>,
): ReadonlyArray<AuditEvent> => {
  const out = chain.slice();
  for (const draft of drafts) out.push(chainedAfter(out, draft));
  return out;
};

export type ChainCheck = { readonly valid: true } | { readonly valid: false; readonly brokenAt: number };

/** A chain verifies when every event is numbered in order and its hash and link are intact. */
export const verifyChain = (chain: ReadonlyArray<AuditEvent>): ChainCheck => {
  let previousHash: Sha256Hex = GENESIS_HASH;
  for (let i = 0; i < chain.length; i++) {
    const event = chain[i]!;
    if (
      // A stored event with an unreadable date is a break, not a crash of the verifier.
      !(event.at instanceof Date) ||
      Number.isNaN(event.at.getTime()) ||
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
