import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { chainHead, verifyChain, verifyChainAgainstHead } from '../audit-trail/audit-chain.js';
import type { AuditEvent } from '../audit-trail/audit-event.js';
import {
  balanceOf,
  foldLedger,
  type HoldStatus,
  type LedgerEntry,
  purchaseCredits,
} from '../credit-ledger/credit-ledger.js';
import type { DomainError } from '../errors.js';
import type { Sha256Hex } from '../shared/types.js';
import { hashCode } from '../sms-code/sms-code.js';
import { activeSettings, CODE_KEY, newProcedure, T0, TENANT } from '../test-support/fixtures.js';
import { createProcedure } from './create-procedure.js';
import { annotate, cancel, expire, markFailed, markSent } from './lifecycle-transitions.js';
import { isTerminal, type ProcedureStatus } from './procedure-status.js';
import type { SignatureProcedure, Transition } from './signature-procedure.js';
import { decline, open, requestCode, sign, verifyCode } from './signer-transitions.js';

const LIFETIME_MS = 2 * 86_400_000;
const CODE_VALIDITY_MS = 5 * 60_000;
const COOLDOWN_MS = 30_000;
const MAX_CODES = 5;
const MAX_WRONG = 3;
const settings = { ...activeSettings, procedureLifetimeDays: 2 };
const MAX_PROCEDURES = 6;

/** What we expect of one procedure, in plain numbers. */
interface ModelProcedure {
  status: ProcedureStatus;
  deadline: number;
  credit: HoldStatus;
  codesIssued: number;
  lastIssuedAt: number;
  code: { value: string; expiresAt: number; wrong: number; state: 'active' | 'dead' | 'used' } | undefined;
}

interface Model {
  now: number;
  available: number;
  reserved: number;
  captured: number;
  purchased: number;
  procedures: Map<string, ModelProcedure>;
}

/** The system: one tenant's ledger and its procedures, changed only by the domain's transitions. */
interface Real {
  now: Date;
  entries: LedgerEntry[];
  procedures: Map<string, SignatureProcedure>;
  /** The last code text sent by SMS to each procedure's signer (the test plays the signer). */
  codes: Map<string, string>;
  /** Status first seen terminal, per procedure. */
  ended: Map<string, ProcedureStatus>;
}

type Expected = { ok: true } | { ok: false; code: string };
const ok: Expected = { ok: true };
const refused = (code: string): Expected => ({ ok: false, code });

/** Every transition writes exactly one event, and that event says what happened to the credit, as the ledger does. */
const expectOneEventTellingTheCredit = (transition: Transition): void => {
  expect(transition.events).toHaveLength(1);
  expect(transition.events[0]?.data.credit).toBe(transition.ledger.map((entry) => entry.kind)[0]);
};

/** Runs a transition on a stored procedure; on success stores the result and appends its ledger entries. */
const runTransition = (
  r: Real,
  id: string,
  transition: (p: SignatureProcedure) => E.Either<DomainError, Transition>,
  expected: Expected,
): Transition | undefined => {
  const before = r.procedures.get(id)!;
  const result = transition(before);
  if (!expected.ok) {
    expect(E.isLeft(result) ? result.left.code : `accepted (${result.right.procedure.status})`).toBe(
      expected.code,
    );
    return undefined;
  }
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.code}`);
  const after = result.right.procedure;
  expectOneEventTellingTheCredit(result.right);
  // The timeline only grows: earlier events are kept exactly, new ones are the ones returned.
  expect(after.events.length).toBe(before.events.length + result.right.events.length);
  after.events.forEach((event, i) => {
    const same = i < before.events.length ? before.events[i] : result.right.events[i - before.events.length];
    if (event !== same) throw new Error(`event ${i} of ${id} was rewritten`);
  });
  expect(after.version).toBe(before.version + 1);
  for (const entry of result.right.ledger) expect(entry).toMatchObject({ tenantId: TENANT, procedureId: id });
  r.procedures.set(id, after);
  r.entries.push(...result.right.ledger);
  return result.right;
};

/**
 * Resolves a command's target at run time: often the oldest procedure still in progress (so that runs walk
 * one procedure far along its path), otherwise any one in progress, sometimes any procedure at all.
 */
const target = (m: Readonly<Model>, pick: number): string => {
  const all = [...m.procedures.keys()];
  const live = all.filter((id) => !isTerminal(m.procedures.get(id)!.status));
  if (pick % 6 === 0 || live.length === 0) return all[Math.floor(pick / 6) % all.length]!;
  if (pick % 6 <= 3) return live[0]!;
  return live[Math.floor(pick / 6) % live.length]!;
};

/** The checks common to every signer action, in the order the rules state them. */
const signerGate = (mp: ModelProcedure, now: number, allowed: ReadonlyArray<ProcedureStatus>): Expected => {
  if (isTerminal(mp.status)) return refused('PROCEDURE_ENDED');
  if (now >= mp.deadline) return refused('PROCEDURE_EXPIRED');
  if (!allowed.includes(mp.status)) return refused('TRANSITION_NOT_ALLOWED');
  return ok;
};

const endUnsigned = (m: Model, mp: ModelProcedure, status: ProcedureStatus) => {
  mp.status = status;
  mp.credit = 'released';
  m.reserved -= 1;
  m.available += 1;
};

const signedInsideCodeValidity = (events: ReadonlyArray<AuditEvent>): void => {
  const signedAt = events.findIndex((e) => e.type === 'signed');
  if (signedAt === -1) return;
  const verified = events.slice(0, signedAt).findLastIndex((e) => e.type === 'code_verified');
  expect(verified).toBeGreaterThan(-1);
  const sent = events.slice(0, verified).findLastIndex((e) => e.type === 'code_sent');
  expect(sent).toBeGreaterThan(-1);
  const verifiedTime = events[verified]!.at.getTime();
  const sentTime = events[sent]!.at.getTime();
  expect(verifiedTime).toBeGreaterThanOrEqual(sentTime);
  expect(verifiedTime).toBeLessThan(sentTime + CODE_VALIDITY_MS);
  expect(events[signedAt]!.at.getTime()).toBeGreaterThanOrEqual(verifiedTime);
};

const checkedTimelines = new WeakSet<ReadonlyArray<AuditEvent>>();

/** A cheap assertion: these checks run after every command of every run, and `expect` is slow in a hot loop. */
const same = (actual: unknown, expected: unknown, what: string): void => {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
};

const checkInvariants = (m: Model, r: Real): void => {
  const folded = foldLedger(r.entries);
  for (const balance of [balanceOf(r.entries), folded.balance]) {
    same(balance.purchased, m.purchased, 'purchased');
    same(balance.available, m.available, 'available');
    same(balance.reserved, m.reserved, 'reserved');
    same(balance.captured, m.captured, 'captured');
  }
  if (m.available < 0) throw new Error('available below zero');
  same(m.purchased, m.available + m.reserved + m.captured, 'purchased = available + reserved + captured');
  let reserved = 0;
  let captured = 0;
  for (const [id, p] of r.procedures) {
    const mp = m.procedures.get(id)!;
    same(p.status, mp.status, `${id} status`);
    same(p.credit, mp.credit, `${id} credit`);
    same(folded.holds.get(id), p.credit, `${id} ledger hold`);
    same(
      p.credit === 'reserved',
      !isTerminal(p.status),
      `${id} holds a reservation exactly while in progress`,
    );
    same(p.credit === 'captured', p.status === 'signed', `${id} spent its credit exactly when signed`);
    if (p.credit === 'reserved') reserved += 1;
    if (p.credit === 'captured') captured += 1;
    const ended = r.ended.get(id);
    if (ended !== undefined) same(p.status, ended, `${id} changed after it ended`);
    else if (isTerminal(p.status)) r.ended.set(id, p.status);
    // A procedure object never changes once built, so a timeline verified once stays verified.
    if (!checkedTimelines.has(p.events)) {
      expect(verifyChain(p.events)).toEqual({ valid: true });
      signedInsideCodeValidity(p.events);
      checkedTimelines.add(p.events);
    }
  }
  same(reserved, m.reserved, 'procedures holding a reservation');
  same(captured, m.captured, 'procedures that spent a credit');
};

class PurchaseCommand implements fc.Command<Model, Real> {
  constructor(readonly quantity: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const entry = purchaseCredits(TENANT, this.quantity, 'order', r.now);
    if (E.isLeft(entry)) throw new Error(entry.left.code);
    r.entries.push(entry.right);
    m.purchased += this.quantity;
    m.available += this.quantity;
    checkInvariants(m, r);
  }
  toString = () => `purchase(${this.quantity})`;
}

class SendCommand implements fc.Command<Model, Real> {
  id = '';
  check = (m: Readonly<Model>) => m.procedures.size < MAX_PROCEDURES;
  run(m: Model, r: Real): void {
    this.id = `p${m.procedures.size + 1}`;
    const result = createProcedure(
      newProcedure({ id: this.id, settings, balance: balanceOf(r.entries) }),
      r.now,
    );
    if (m.available < 1) {
      expect(E.isLeft(result) && result.left.code).toBe('NO_CREDIT_AVAILABLE');
    } else {
      if (E.isLeft(result)) throw new Error(result.left.code);
      expectOneEventTellingTheCredit(result.right);
      r.procedures.set(this.id, result.right.procedure);
      r.entries.push(...result.right.ledger);
      m.available -= 1;
      m.reserved += 1;
      m.procedures.set(this.id, {
        status: 'pending',
        deadline: m.now + LIFETIME_MS,
        credit: 'reserved',
        codesIssued: 0,
        lastIssuedAt: Number.NEGATIVE_INFINITY,
        code: undefined,
      });
      expect(result.right.procedure.deadline.getTime()).toBe(m.now + LIFETIME_MS);
    }
    checkInvariants(m, r);
  }
  toString = () => `send(${this.id})`;
}

class MarkSentCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    const expected =
      mp.status === 'pending'
        ? ok
        : refused(isTerminal(mp.status) ? 'PROCEDURE_ENDED' : 'TRANSITION_NOT_ALLOWED');
    if (runTransition(r, this.id, markSent(r.now), expected)) mp.status = 'sent';
    checkInvariants(m, r);
  }
  toString = () => `markSent(${this.id})`;
}

class MarkFailedCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    const expected =
      mp.status === 'pending'
        ? ok
        : refused(isTerminal(mp.status) ? 'PROCEDURE_ENDED' : 'TRANSITION_NOT_ALLOWED');
    if (runTransition(r, this.id, markFailed('bounced', r.now), expected)) endUnsigned(m, mp, 'failed');
    checkInvariants(m, r);
  }
  toString = () => `markFailed(${this.id})`;
}

class OpenCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    if (runTransition(r, this.id, open(undefined, r.now), signerGate(mp, m.now, ['sent', 'opened']))) {
      mp.status = 'opened';
    }
    checkInvariants(m, r);
  }
  toString = () => `open(${this.id})`;
}

class RequestCodeCommand implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly code: string,
  ) {}
  id = '';
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    let expected = signerGate(mp, m.now, ['opened']);
    if (expected.ok && mp.codesIssued >= MAX_CODES) expected = refused('CODE_LIMIT_REACHED');
    if (expected.ok && m.now < mp.lastIssuedAt + COOLDOWN_MS) expected = refused('CODE_COOLDOWN');
    const hash = hashCode(CODE_KEY, this.id, this.code);
    if (runTransition(r, this.id, requestCode(hash, undefined, r.now), expected)) {
      r.codes.set(this.id, this.code);
      mp.codesIssued += 1;
      mp.lastIssuedAt = m.now;
      mp.code = { value: this.code, expiresAt: m.now + CODE_VALIDITY_MS, wrong: 0, state: 'active' };
    }
    checkInvariants(m, r);
  }
  toString = () => `requestCode(${this.id}, ${this.code})`;
}

const codeGate = (mp: ModelProcedure, now: number): Expected => {
  const gate = signerGate(mp, now, ['opened']);
  if (!gate.ok) return gate;
  if (mp.code === undefined || mp.code.state !== 'active') return refused('NO_ACTIVE_CODE');
  if (now >= mp.code.expiresAt) return refused('CODE_EXPIRED');
  return ok;
};

class VerifyRightCodeCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    const code = r.codes.get(this.id) ?? '000000';
    const done = runTransition(
      r,
      this.id,
      verifyCode(hashCode(CODE_KEY, this.id, code), undefined, r.now),
      codeGate(mp, m.now),
    );
    if (done) {
      expect(done).toMatchObject({ outcome: 'verified' });
      mp.status = 'verified';
      mp.code!.state = 'used';
    }
    checkInvariants(m, r);
  }
  toString = () => `verifyRightCode(${this.id})`;
}

class VerifyWrongCodeCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    const right = Number(r.codes.get(this.id) ?? '0');
    const wrong = String((right + 1) % 1_000_000).padStart(6, '0');
    const hash = hashCode(CODE_KEY, this.id, wrong);
    const done = runTransition(r, this.id, verifyCode(hash, undefined, r.now), codeGate(mp, m.now));
    if (done) {
      const code = mp.code!;
      code.wrong += 1;
      if (code.wrong >= MAX_WRONG) code.state = 'dead';
      expect(done).toMatchObject({ outcome: 'rejected', attemptsLeft: MAX_WRONG - code.wrong });
    }
    checkInvariants(m, r);
  }
  toString = () => `verifyWrongCode(${this.id})`;
}

class SignCommand implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly consent: boolean,
  ) {}
  id = '';
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    let expected = signerGate(mp, m.now, ['verified']);
    if (!expected.ok && expected.code === 'TRANSITION_NOT_ALLOWED') expected = refused('CODE_NOT_VERIFIED');
    if (expected.ok && !this.consent) expected = refused('CONSENT_REQUIRED');
    const input = {
      consent: this.consent,
      consentText: 'Lu et approuvé',
      signedSha256: 'c'.repeat(64) as Sha256Hex,
    };
    if (runTransition(r, this.id, sign(input, r.now), expected)) {
      mp.status = 'signed';
      mp.credit = 'captured';
      m.reserved -= 1;
      m.captured += 1;
    }
    checkInvariants(m, r);
  }
  toString = () => `sign(${this.id}, consent=${this.consent})`;
}

class DeclineCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    const expected = signerGate(mp, m.now, ['opened', 'verified']);
    if (runTransition(r, this.id, decline('no', undefined, r.now), expected)) endUnsigned(m, mp, 'declined');
    checkInvariants(m, r);
  }
  toString = () => `decline(${this.id})`;
}

class CancelCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    const expected = isTerminal(mp.status)
      ? refused('PROCEDURE_ENDED')
      : m.now >= mp.deadline
        ? refused('PROCEDURE_EXPIRED')
        : ok;
    if (runTransition(r, this.id, cancel('user-1', r.now), expected)) endUnsigned(m, mp, 'cancelled');
    checkInvariants(m, r);
  }
  toString = () => `cancel(${this.id})`;
}

class ExpireCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const mp = m.procedures.get(this.id)!;
    const expected = isTerminal(mp.status)
      ? refused('PROCEDURE_ENDED')
      : m.now < mp.deadline
        ? refused('NOT_YET_DUE')
        : ok;
    if (runTransition(r, this.id, expire(r.now), expected)) endUnsigned(m, mp, 'expired');
    checkInvariants(m, r);
  }
  toString = () => `expire(${this.id})`;
}

class AnnotateCommand implements fc.Command<Model, Real> {
  id = '';
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    runTransition(r, this.id, (p) => E.right(annotate('crm_notified', { n: 1 }, r.now)(p)), ok);
    checkInvariants(m, r);
  }
  toString = () => `annotate(${this.id})`;
}

class AdvanceClockCommand implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.now += this.ms;
    r.now = new Date(r.now.getTime() + this.ms);
    checkInvariants(m, r);
  }
  toString = () => `advance(${this.ms} ms)`;
}

type Tamper =
  | 'type'
  | 'at'
  | 'actor'
  | 'ip'
  | 'userAgent'
  | 'data'
  | 'sequence'
  | 'previousHash'
  | 'hash'
  | 'remove';

const tampered = (event: AuditEvent, how: Exclude<Tamper, 'remove'>): AuditEvent => {
  switch (how) {
    case 'type':
      return { ...event, type: event.type === 'opened' ? 'signed' : 'opened' };
    case 'at':
      return { ...event, at: new Date(event.at.getTime() + 1) };
    case 'actor':
      return { ...event, actor: event.actor === 'signer' ? 'system' : 'signer' };
    case 'ip':
      return { ...event, ip: `${event.ip ?? ''}1` };
    case 'userAgent':
      return { ...event, userAgent: `${event.userAgent ?? ''}x` };
    case 'data':
      return { ...event, data: { ...event.data, forged: true } };
    case 'sequence':
      return { ...event, sequence: event.sequence + 1 };
    case 'previousHash':
      return { ...event, previousHash: event.hash };
    case 'hash':
      return { ...event, hash: event.previousHash };
  }
};

/** Edits or removes one event of a copy of the timeline: the chain, checked against its head, must notice. */
class TamperCommand implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly position: number,
    readonly how: Tamper,
  ) {}
  id = '';
  check = (m: Readonly<Model>) => m.procedures.size > 0;
  run(m: Model, r: Real): void {
    this.id = target(m, this.pick);
    const events = r.procedures.get(this.id)!.events;
    const index = this.position % events.length;
    const head = chainHead(events);
    const how = this.how;
    const copy =
      how === 'remove'
        ? events.filter((_, i) => i !== index)
        : events.map((e, i) => (i === index ? tampered(e, how) : e));
    expect(verifyChainAgainstHead(copy, head)).toBe(false);
    if (how !== 'remove' || index < events.length - 1) {
      expect(verifyChain(copy)).toEqual({ valid: false, brokenAt: index });
    }
    expect(verifyChainAgainstHead(events, head)).toBe(true);
    checkInvariants(m, r);
  }
  toString = () => `tamper(${this.id}, #${this.position}, ${this.how})`;
}

const id = fc.nat();
/** Mostly seconds and minutes, so codes and cooldowns matter; sometimes hours or days, so deadlines pass. */
const clockStep = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 120 }).map((s) => s * 1000) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 30 }).map((min) => min * 60_000) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 48 }).map((h) => h * 3_600_000) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((d) => d * 86_400_000) },
);
const tamperKind = fc.constantFrom<Tamper>(
  'type',
  'at',
  'actor',
  'ip',
  'userAgent',
  'data',
  'sequence',
  'previousHash',
  'hash',
  'remove',
);
/** Weighted towards the signer's path, so that many runs reach a signature, an expiry or a locked code. */
const command = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }).map((q) => new PurchaseCommand(q)) },
  { weight: 3, arbitrary: fc.constant(null).map(() => new SendCommand()) },
  { weight: 8, arbitrary: id.map((p) => new MarkSentCommand(p)) },
  { weight: 1, arbitrary: id.map((p) => new MarkFailedCommand(p)) },
  { weight: 8, arbitrary: id.map((p) => new OpenCommand(p)) },
  {
    weight: 8,
    arbitrary: fc
      .tuple(id, fc.integer({ min: 0, max: 999_999 }))
      .map(([p, n]) => new RequestCodeCommand(p, String(n).padStart(6, '0'))),
  },
  { weight: 8, arbitrary: id.map((p) => new VerifyRightCodeCommand(p)) },
  { weight: 4, arbitrary: id.map((p) => new VerifyWrongCodeCommand(p)) },
  {
    weight: 8,
    arbitrary: fc.tuple(id, fc.integer({ min: 0, max: 4 })).map(([p, n]) => new SignCommand(p, n > 0)),
  },
  { weight: 1, arbitrary: id.map((p) => new DeclineCommand(p)) },
  { weight: 1, arbitrary: id.map((p) => new CancelCommand(p)) },
  { weight: 3, arbitrary: id.map((p) => new ExpireCommand(p)) },
  { weight: 1, arbitrary: id.map((p) => new AnnotateCommand(p)) },
  { weight: 8, arbitrary: clockStep.map((ms) => new AdvanceClockCommand(ms)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(id, fc.nat(), tamperKind)
      .map(([p, position, how]) => new TamperCommand(p, position, how)),
  },
);

const initialState = (credits: number) => () => {
  const model: Model = {
    now: T0.getTime(),
    available: credits,
    reserved: 0,
    captured: 0,
    purchased: credits,
    procedures: new Map(),
  };
  const entries: LedgerEntry[] = [];
  if (credits > 0) {
    const entry = purchaseCredits(TENANT, credits, 'initial', T0);
    if (E.isRight(entry)) entries.push(entry.right);
  }
  const real: Real = { now: T0, entries, procedures: new Map(), codes: new Map(), ended: new Map() };
  return { model, real };
};

describe('signature procedures sharing a tenant ledger (model-based)', () => {
  it('never lose or double-spend a credit, never sign without a valid code, and keep a verifiable timeline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.commands([command], { maxCommands: 100, size: 'max' }),
        (credits, cmds) => {
          fc.modelRun(initialState(credits), cmds);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
