import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../errors.js';
import { T0, TENANT } from '../test-support/fixtures.js';
import {
  balanceOf,
  captureCredit,
  foldLedger,
  type LedgerEntry,
  purchaseCredits,
  type ReleaseReason,
  releaseCredit,
  reserveCredit,
} from './credit-ledger.js';

/** A trivially correct ledger: four counters and who holds what. */
interface Model {
  purchased: number;
  available: number;
  reserved: number;
  captured: number;
  holds: Map<string, 'reserved' | 'captured' | 'released'>;
}

/** The system: an append-only list of entries, driven only through the ledger's functions. */
interface Real {
  entries: LedgerEntry[];
}

const holdOf = (real: Real, procedureId: string) => foldLedger(real.entries).holds.get(procedureId);

/** Appends a Right, or returns the Left's code. */
const apply = (real: Real, result: E.Either<DomainError, LedgerEntry>): string | undefined => {
  if (E.isLeft(result)) return result.left.code;
  real.entries.push(result.right);
  return undefined;
};

const checkInvariants = (m: Model, r: Real): void => {
  const expected = {
    purchased: m.purchased,
    available: m.available,
    reserved: m.reserved,
    captured: m.captured,
  };
  const folded = foldLedger(r.entries);
  expect(balanceOf(r.entries)).toEqual(expected);
  expect(folded.balance).toEqual(expected);
  expect(folded.holds).toEqual(m.holds);
  expect(expected.available).toBeGreaterThanOrEqual(0);
  expect(expected.purchased).toBe(expected.available + expected.reserved + expected.captured);
  // One reservation per procedure, and at most one capture-or-release after it.
  const perProcedure = new Map<string, string[]>();
  for (const entry of r.entries) {
    if (entry.kind === 'purchased') continue;
    perProcedure.set(entry.procedureId, [...(perProcedure.get(entry.procedureId) ?? []), entry.kind]);
  }
  for (const kinds of perProcedure.values()) {
    expect([['reserved'], ['reserved', 'captured'], ['reserved', 'released']]).toContainEqual(kinds);
  }
};

class PurchaseCommand implements fc.Command<Model, Real> {
  constructor(readonly quantity: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    expect(apply(r, purchaseCredits(TENANT, this.quantity, 'order', T0))).toBeUndefined();
    m.purchased += this.quantity;
    m.available += this.quantity;
    checkInvariants(m, r);
  }
  toString = () => `purchase(${this.quantity})`;
}

class ReserveCommand implements fc.Command<Model, Real> {
  constructor(readonly procedureId: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const code = apply(
      r,
      reserveCredit(balanceOf(r.entries), holdOf(r, this.procedureId), TENANT, this.procedureId, T0),
    );
    if (m.holds.has(this.procedureId)) expect(code).toBe('CREDIT_ALREADY_HELD');
    else if (m.available === 0) expect(code).toBe('NO_CREDIT_AVAILABLE');
    else {
      expect(code).toBeUndefined();
      m.available -= 1;
      m.reserved += 1;
      m.holds.set(this.procedureId, 'reserved');
    }
    checkInvariants(m, r);
  }
  toString = () => `reserve(${this.procedureId})`;
}

class CaptureCommand implements fc.Command<Model, Real> {
  constructor(readonly procedureId: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const code = apply(r, captureCredit(holdOf(r, this.procedureId), TENANT, this.procedureId, T0));
    if (m.holds.get(this.procedureId) !== 'reserved') expect(code).toBe('CREDIT_NOT_HELD');
    else {
      expect(code).toBeUndefined();
      m.reserved -= 1;
      m.captured += 1;
      m.holds.set(this.procedureId, 'captured');
    }
    checkInvariants(m, r);
  }
  toString = () => `capture(${this.procedureId})`;
}

class ReleaseCommand implements fc.Command<Model, Real> {
  constructor(
    readonly procedureId: string,
    readonly reason: ReleaseReason,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const code = apply(
      r,
      releaseCredit(holdOf(r, this.procedureId), TENANT, this.procedureId, this.reason, T0),
    );
    if (m.holds.get(this.procedureId) !== 'reserved') expect(code).toBe('CREDIT_NOT_HELD');
    else {
      expect(code).toBeUndefined();
      m.reserved -= 1;
      m.available += 1;
      m.holds.set(this.procedureId, 'released');
    }
    checkInvariants(m, r);
  }
  toString = () => `release(${this.procedureId}, ${this.reason})`;
}

const procedureId = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6');
const commands = [
  fc.integer({ min: 1, max: 3 }).map((q) => new PurchaseCommand(q)),
  procedureId.map((id) => new ReserveCommand(id)),
  procedureId.map((id) => new CaptureCommand(id)),
  fc
    .tuple(procedureId, fc.constantFrom<ReleaseReason>('expired', 'cancelled', 'declined', 'failed'))
    .map(([id, reason]) => new ReleaseCommand(id, reason)),
];

describe('credit ledger (model-based)', () => {
  it('never loses a credit, never spends one twice, and its folds equal the model', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
        const model: Model = { purchased: 0, available: 0, reserved: 0, captured: 0, holds: new Map() };
        fc.modelRun(() => ({ model, real: { entries: [] } }), cmds);
      }),
      { numRuns: 1000 },
    );
  });
});
