import type { OutboxMessage, OutboxRecord, SignatureProcedure } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { UseCaseDependencies } from '../use-cases/dependencies.js';

type Storage = UseCaseDependencies['storage'];
type Session = Parameters<Parameters<Storage['unitOfWork']>[0]>[0];

/** The receiver a message goes to: the mail server, the CRM's notifications (webhook), the CRM's follow-ups. */
export type Receiver = OutboxMessage['kind'];

/**
 * An outbox message a facade call queued: its id, and by its kind the receiver it goes to; `claimed` when the unit
 * of work that queued it also claimed it for this request, which then starts its delivery without a claim of its own.
 */
export interface ProducedMessage {
  readonly id: string;
  readonly kind: Receiver;
  readonly claimed?: OutboxRecord;
}

/** What one facade call wrote, as its committed units of work wrote it. */
export interface RequestRecord {
  /** The messages it queued, in order. */
  readonly messages: ProducedMessage[];
  /** The procedures it read or wrote in units of work that committed, each as it last saw it. */
  readonly procedures: Map<string, SignatureProcedure>;
  /** How many of `messages` its delivery has taken; the next one is the only one ever claimed as it is queued. */
  taken: number;
  /** Whether a message for this receiver, queued next, is claimed in the same unit of work; undefined: never. */
  claimAhead: ((receiver: Receiver) => boolean) | undefined;
}

export const newRequestRecord = (claimAhead?: (receiver: Receiver) => boolean): RequestRecord => ({
  messages: [],
  procedures: new Map(),
  taken: 0,
  claimAhead,
});

const produced = ({ id, kind }: OutboxMessage): ProducedMessage => ({ id, kind });

/** What one run of a unit of work queued, and the procedures it saw; kept only once it committed (a storage may run the work again). */
interface Noted {
  readonly messages: ProducedMessage[];
  readonly procedures: Map<string, SignatureProcedure>;
}

const recordingProcedures = (procedures: Session['procedures'], noted: Noted): Session['procedures'] => ({
  ...procedures,
  get: (id) => async () => {
    const found = await procedures.get(id)();
    if (E.isRight(found) && found.right._tag === 'Some') noted.procedures.set(id, found.right.value);
    return found;
  },
  insert: (procedure) => async () => {
    const inserted = await procedures.insert(procedure)();
    if (E.isRight(inserted)) noted.procedures.set(procedure.id, procedure);
    return inserted;
  },
  update: (procedure, expectedVersion) => async () => {
    const updated = await procedures.update(procedure, expectedVersion)();
    if (E.isRight(updated)) noted.procedures.set(procedure.id, procedure);
    return updated;
  },
});

const recordingOutbox = (
  outbox: Session['outbox'],
  record: RequestRecord,
  noted: Noted,
): Session['outbox'] => ({
  ...outbox,
  enqueue: (messages, now) => async () => {
    const [first, ...rest] = messages;
    if (first === undefined) return outbox.enqueue(messages, now)();
    // Only the message the request's delivery takes next is claimed here, as it is queued: a claimed message is
    // always started, never left waiting out a lease because the budget ran out before it.
    const isNext = record.messages.length + noted.messages.length === record.taken;
    if (!isNext || record.claimAhead?.(first.kind) !== true) {
      const queued = await outbox.enqueue(messages, now)();
      if (E.isRight(queued)) noted.messages.push(...messages.map(produced));
      return queued;
    }
    const claimed = await outbox.enqueueClaimed(first, now)();
    if (E.isLeft(claimed)) return claimed;
    const queued = rest.length === 0 ? E.right(undefined) : await outbox.enqueue(rest, now)();
    if (E.isLeft(queued)) return queued;
    const own = O.isSome(claimed.right)
      ? { ...produced(first), claimed: claimed.right.value }
      : produced(first);
    noted.messages.push(own, ...rest.map(produced));
    return queued;
  },
});

/** The session with its procedures and outbox noting what they read and write; each store made on first use. */
const recordingSession = (session: Session, record: RequestRecord, noted: Noted): Session => {
  let procedures: Session['procedures'] | undefined;
  let outbox: Session['outbox'] | undefined;
  return {
    get tenants() {
      return session.tenants;
    },
    get ledger() {
      return session.ledger;
    },
    get documents() {
      return session.documents;
    },
    get procedures() {
      procedures ??= recordingProcedures(session.procedures, noted);
      return procedures;
    },
    get outbox() {
      outbox ??= recordingOutbox(session.outbox, record, noted);
      return outbox;
    },
  };
};

/**
 * The storage one facade call's use case sees: every message its units of work queue and every procedure they write
 * are noted in the call's record once that unit of work committed, so that the call can deliver what it produced —
 * and only that — and answer from what it wrote. The message its delivery takes next is claimed in the unit of work
 * that queues it, which saves that delivery a unit of work of its own. Bound to the record rather than found from the
 * async context: a storage may run a unit of work from another caller's context (SQLite's group commit runs a whole
 * group from its first caller's), and tracking contexts would slow every promise of the process.
 */
export const recordingInto = (storage: Storage, record: RequestRecord): Storage => ({
  ...storage,
  unitOfWork: (work) => async () => {
    let noted: Noted = { messages: [], procedures: new Map() };
    const result = await storage.unitOfWork((session) => {
      noted = { messages: [], procedures: new Map() };
      return work(recordingSession(session, record, noted));
    })();
    if (E.isRight(result)) {
      record.messages.push(...noted.messages);
      for (const [id, procedure] of noted.procedures) record.procedures.set(id, procedure);
    }
    return result;
  },
});
