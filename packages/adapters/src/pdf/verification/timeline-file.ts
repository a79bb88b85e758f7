import {
  type AuditEvent,
  type AuditEventDraft,
  appendToChain,
  type DomainError,
  decodeEvidenceFile,
  domainError,
  EVIDENCE_LIMITS,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

/** One event of a timeline given apart; its hashes are there when the file is a proof bundle. */
export interface TimelineEvent extends AuditEventDraft {
  readonly sequence: number;
  readonly hash?: string;
  readonly previousHash?: string;
}

export interface TimelineFile {
  readonly format: 'evidence' | 'procedure-view';
  readonly events: ReadonlyArray<TimelineEvent>;
}

const Identifier = t.refinement(t.string, (s) => /^[a-z_]{1,64}$/.test(s), 'Identifier');
const Bounded = t.refinement(t.string, (s) => s.length <= EVIDENCE_LIMITS.text, 'Text');
const Instant = t.refinement(
  t.string,
  (s) => s.length <= 30 && !Number.isNaN(new Date(s).getTime()) && new Date(s).toISOString() === s,
  'IsoInstant',
);
const Value = t.union([Bounded, t.number, t.boolean]);
const Entry = t.intersection([
  t.type({
    sequence: t.number,
    type: Identifier,
    at: Instant,
    actor: Identifier,
    data: t.record(Bounded, Value),
  }),
  t.partial({ ip: Bounded, userAgent: Bounded, hash: Bounded, previousHash: Bounded }),
]);
const Entries = t.refinement(t.array(Entry), (a) => a.length <= EVIDENCE_LIMITS.events, 'Entries');
/** The sender's procedure view (`sender.getProcedure`, the demo's timeline.json) or a bare list of its entries. */
const ViewCodec = t.union([t.type({ timeline: Entries }), Entries]);

const toEvent = (e: t.TypeOf<typeof Entry>): TimelineEvent => ({
  ...e,
  type: e.type as AuditEvent['type'],
  actor: e.actor as AuditEvent['actor'],
  at: new Date(e.at),
});

/** Reads a timeline: an evidence file (paraphe-evidence/1 or /2), or a procedure view's `timeline`; INVALID_INPUT otherwise. */
export const decodeTimelineFile = (text: string): E.Either<DomainError, TimelineFile> => {
  if (text.length > EVIDENCE_LIMITS.fileLength)
    return E.left(domainError('INVALID_INPUT', { fields: 'timeline', reason: 'too long' }));
  const evidence = decodeEvidenceFile(text);
  if (E.isRight(evidence)) return E.right({ format: 'evidence', events: evidence.right.events });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return E.left(domainError('INVALID_INPUT', { fields: 'timeline', reason: 'not JSON' }));
  }
  const decoded = ViewCodec.decode(json);
  if (E.isLeft(decoded)) return E.left(domainError('INVALID_INPUT', { fields: 'timeline' }));
  const entries = Array.isArray(decoded.right) ? decoded.right : decoded.right.timeline;
  return E.right({ format: 'procedure-view', events: entries.map(toEvent) });
};

/** The chain these events make when hashed afresh in their order, whatever hashes the file states. */
export const recomputeChain = (events: ReadonlyArray<TimelineEvent>): ReadonlyArray<AuditEvent> =>
  appendToChain(
    [],
    events.map(({ type, at, actor, ip, userAgent, data }) => ({
      type,
      at,
      actor,
      data,
      ...(ip === undefined ? {} : { ip }),
      ...(userAgent === undefined ? {} : { userAgent }),
    })),
  );
