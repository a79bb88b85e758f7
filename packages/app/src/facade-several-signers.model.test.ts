import { balanceOf, type LedgerEntry, type SignatureProcedure } from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOutcome } from './test-support/facade-model.js';
import { type Harness, right, START, seller, TENANT } from './test-support/harness.js';
import { countersigner, secondContact } from './test-support/several-signers.js';
import { readyHarness, sendInput } from './test-support/story.js';

/**
 * Issue #18 item 7 at the facade: any interleaving of several signers' steps, declines, the sender's cancel, time,
 * expiry and the sweep keeps one reserved credit per procedure, one capture or one release, and a signed procedure
 * has every signer's own code verified before their own signature. (The one-signer model is facade.model.test.ts.)
 */

const QUOTES = ['q1', 'q2', 'q3'] as const;
const CREDITS = 3;
const LIFETIME_MS = 15 * 24 * 3600 * 1000;
const CODE_VALIDITY_MS = 5 * 60 * 1000;
const COOLDOWN_MS = 30 * 1000;
const MAX_CODES = 5;
/** Signer lists a send may ask for: 1 to 3 signers, the countersigner last. */
const LISTS = [
  { contactIds: ['c-1'] },
  { contactIds: ['c-1', 'c-2'] },
  { contactIds: ['c-2'], countersignerId: 'dan' },
  { contactIds: ['c-1', 'c-2'], countersignerId: 'dan' },
] as const;

type SignerState = 'waiting' | 'sent' | 'opened' | 'verified' | 'signed';
type End = 'signed' | 'declined' | 'cancelled' | 'expired';

interface ModelSigner {
  status: SignerState;
  token?: string;
  codes: number;
  lastCodeAt?: number;
  code?: { readonly value: string; readonly expiresAt: number; wrongLeft: number };
}

interface ModelProcedure {
  readonly id: string;
  readonly quoteId: string;
  readonly order: 'sequential' | 'parallel';
  readonly deadline: number;
  readonly signers: ModelSigner[];
  end?: End;
}

interface Model {
  now: number;
  readonly procedures: ModelProcedure[];
  signatures: number;
  completed: number;
}

interface Real {
  readonly h: Harness;
}

const HOLDING: ReadonlyArray<End | undefined> = [undefined, 'signed'];
const isLate = (m: Model, p: ModelProcedure) => p.end === undefined && m.now >= p.deadline;
const available = (m: Model) => CREDITS - m.procedures.filter((p) => HOLDING.includes(p.end)).length;
const blocks = (m: Model, quoteId: string) =>
  m.procedures.some((p) => p.quoteId === quoteId && HOLDING.includes(p.end));
/** The refusal any signer call of a procedure gets first: ended, then past its deadline. */
const gate = (m: Model, p: ModelProcedure) =>
  p.end !== undefined ? 'PROCEDURE_ENDED' : isLate(m, p) ? 'PROCEDURE_EXPIRED' : undefined;

/** The `n`th procedure counting back from the latest, and its `k`th signer among those holding a link not yet used. */
const pick = (m: Model, n: number, k: number) => {
  const p = m.procedures[m.procedures.length - 1 - (n % Math.max(1, m.procedures.length))];
  if (p === undefined) return undefined;
  const invited = p.signers.filter((s) => s.token !== undefined && s.status !== 'signed');
  const signer = invited[k % Math.max(1, invited.length)];
  return signer === undefined ? undefined : { p, signer, position: p.signers.indexOf(signer) };
};

const storedProcedures = async (h: Harness) =>
  right(() =>
    h.storage.unitOfWork((session) => async () => {
      const all: SignatureProcedure[] = [];
      for (const quoteId of QUOTES) {
        const list = await session.procedures.listByQuote(TENANT, quoteId)();
        if (E.isLeft(list)) return list;
        all.push(...list.right);
      }
      const entries = await session.ledger.entries(TENANT)();
      return E.isLeft(entries) ? entries : E.right({ all, entries: entries.right });
    })(),
  );

const countOf = (entries: ReadonlyArray<LedgerEntry>, kind: LedgerEntry['kind'], id: string) =>
  entries.filter((e) => e.kind === kind && 'procedureId' in e && e.procedureId === id).length;

const checkInvariants = async (m: Model, { h }: Real) => {
  const { all, entries } = await storedProcedures(h);
  const balance = balanceOf(entries);
  expect(balance.purchased).toBe(CREDITS);
  expect(balance.available).toBe(available(m));
  expect(all.map((p) => p.id).sort()).toEqual(m.procedures.map((p) => p.id).sort());
  for (const p of all) {
    const mp = m.procedures.find((x) => x.id === p.id)!;
    expect(countOf(entries, 'reserved', p.id)).toBe(1);
    expect(countOf(entries, 'captured', p.id)).toBe(p.status === 'signed' ? 1 : 0);
    expect(countOf(entries, 'released', p.id)).toBe(p.credit === 'released' ? 1 : 0);
    expect(p.credit === 'reserved' ? undefined : p.status).toBe(mp.end);
    if (mp.end === undefined) expect(p.signers.map((s) => s.status)).toEqual(mp.signers.map((s) => s.status));
    if (p.status === 'signed')
      for (const signer of p.signers) {
        const theirs = p.events
          .filter((e) => p.signers.length === 1 || e.data.signer === signer.position + 1)
          .map((e) => e.type);
        expect(signer.status).toBe('signed');
        expect(theirs.indexOf('code_verified')).toBeGreaterThanOrEqual(0);
        expect(theirs.indexOf('code_verified')).toBeLessThan(theirs.indexOf('signed'));
      }
  }
};

type Command = fc.AsyncCommand<Model, Real>;

abstract class Checked implements Command {
  abstract act(m: Model, r: Real): Promise<void>;
  abstract toString(): string;
  check = () => true;
  async run(m: Model, r: Real) {
    await this.act(m, r);
    await checkInvariants(m, r);
  }
}

class Send extends Checked {
  constructor(
    readonly quoteId: string,
    readonly list: number,
    readonly order: 'sequential' | 'parallel',
  ) {
    super();
  }
  async act(m: Model, { h }: Real) {
    const signers = { ...LISTS[this.list]!, order: this.order };
    const refused = blocks(m, this.quoteId) || available(m) < 1;
    const result = await h.paraphe.sender.send(seller, sendInput(this.quoteId, { signers }))();
    if (refused) {
      expect(E.isLeft(result) && result.left.code).toBe('SEND_REFUSED');
      return;
    }
    if (E.isLeft(result)) throw new Error(`Expected a send, got ${result.left.code}`);
    await right(h.paraphe.system.dispatchOutbox());
    const id = result.right.id;
    const count = signers.contactIds.length + ('countersignerId' in signers ? 1 : 0);
    m.procedures.push({
      id,
      quoteId: this.quoteId,
      order: this.order,
      deadline: m.now + LIFETIME_MS,
      signers: Array.from({ length: count }, (_, k) =>
        k === 0 || this.order === 'parallel'
          ? { status: 'sent' as const, token: h.tokenOf(id, k), codes: 0 }
          : { status: 'waiting' as const, codes: 0 },
      ),
    });
  }
  toString = () => `Send(${this.quoteId}, ${JSON.stringify(LISTS[this.list])}, ${this.order})`;
}

/** A signer holding a link takes their next step: ask for a code, type it, or sign. */
class SignerGoesOn extends Checked {
  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    super();
  }
  async act(m: Model, { h }: Real) {
    const picked = pick(m, this.n, this.k);
    if (picked === undefined) return;
    const { p, signer, position } = picked;
    const token = signer.token!;
    const code = signer.code;
    const usable = code !== undefined && code.wrongLeft > 0 && m.now < code.expiresAt;
    const refusal = gate(m, p);
    if (signer.status === 'verified') {
      await expectOutcome(h.paraphe.signer.sign(token, true), refusal);
      if (refusal !== undefined) return;
      signer.status = 'signed';
      m.signatures += 1;
      const next = p.signers.findIndex((s) => s.status === 'waiting');
      if (p.signers.every((s) => s.status === 'signed')) {
        p.end = 'signed';
        m.completed += 1;
      } else if (p.order === 'sequential' && next === position + 1) {
        // Their invitation was queued with the signature; the worker makes sure it left.
        await right(h.paraphe.system.dispatchOutbox());
        p.signers[next] = { status: 'sent', token: h.tokenOf(p.id, next), codes: 0 };
      }
    } else if (signer.status === 'opened' && usable) {
      await expectOutcome(h.paraphe.signer.verifyCode(token, code.value), refusal);
      if (refusal === undefined) signer.status = 'verified';
    } else {
      const own =
        signer.codes >= MAX_CODES
          ? 'CODE_LIMIT_REACHED'
          : signer.lastCodeAt !== undefined && m.now < signer.lastCodeAt + COOLDOWN_MS
            ? 'CODE_COOLDOWN'
            : undefined;
      const expected = refusal ?? own;
      await expectOutcome(h.paraphe.signer.requestCode(token), expected);
      if (expected !== undefined) return;
      signer.status = 'opened';
      signer.codes += 1;
      signer.lastCodeAt = m.now;
      signer.code = { value: h.lastCode(p.id), expiresAt: m.now + CODE_VALIDITY_MS, wrongLeft: 3 };
    }
  }
  toString = () => `SignerGoesOn(${this.n}, ${this.k})`;
}

class Decline extends Checked {
  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    super();
  }
  async act(m: Model, { h }: Real) {
    const picked = pick(m, this.n, this.k);
    if (picked === undefined) return;
    const refusal = gate(m, picked.p);
    await expectOutcome(h.paraphe.signer.decline(picked.signer.token!, 'Non merci'), refusal);
    if (refusal === undefined) picked.p.end = 'declined';
  }
  toString = () => `Decline(${this.n}, ${this.k})`;
}

class Cancel extends Checked {
  constructor(readonly n: number) {
    super();
  }
  async act(m: Model, { h }: Real) {
    const p = m.procedures[m.procedures.length - 1 - (this.n % Math.max(1, m.procedures.length))];
    if (p === undefined) return;
    const refusal = gate(m, p);
    await expectOutcome(h.paraphe.sender.cancel(seller, p.id), refusal);
    if (refusal === undefined) p.end = 'cancelled';
  }
  toString = () => `Cancel(${this.n})`;
}

class ExpireDue extends Checked {
  async act(m: Model, { h }: Real) {
    const due = m.procedures.filter((p) => isLate(m, p));
    expect(await right(h.paraphe.system.expireDue())).toBe(due.length);
    for (const p of due) p.end = 'expired';
  }
  toString = () => 'ExpireDue';
}

class AdvanceClock extends Checked {
  constructor(readonly ms: number) {
    super();
  }
  async act(m: Model, { h }: Real) {
    h.clock.advanceBy(this.ms);
    m.now += this.ms;
  }
  toString = () => `AdvanceClock(${this.ms})`;
}

const weighted = <A>(weight: number, arbitrary: fc.Arbitrary<A>) =>
  Array.from({ length: weight }, () => arbitrary);
const recent = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.nat({ max: 2 }) },
);

const commands = [
  ...weighted(
    2,
    fc
      .tuple(
        fc.constantFrom(...QUOTES),
        fc.nat({ max: LISTS.length - 1 }),
        fc.constantFrom('sequential' as const, 'parallel' as const),
      )
      .map(([q, l, o]) => new Send(q, l, o)),
  ),
  ...weighted(
    10,
    fc.tuple(recent, fc.nat({ max: 2 })).map(([n, k]) => new SignerGoesOn(n, k)),
  ),
  fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 })).map(([n, k]) => new Decline(n, k)),
  fc.nat({ max: 2 }).map((n) => new Cancel(n)),
  fc.constant(new ExpireDue()),
  fc
    .oneof(
      fc.integer({ min: 1_000, max: 60_000 }),
      fc.integer({ min: 60_000, max: 6 * 3600_000 }),
      fc.integer({ min: 6 * 3600_000, max: 20 * 24 * 3600_000 }),
    )
    .map((ms) => new AdvanceClock(ms)),
];

const setup = async () => {
  const h = await readyHarness({ credits: CREDITS, quotes: 0 });
  for (const id of QUOTES) await h.putQuote(id, { otherContacts: [secondContact] });
  h.crm.putUser(TENANT, countersigner);
  return { model: { now: START.getTime(), procedures: [], signatures: 0, completed: 0 }, real: { h } };
};

let runsThatCompleted = 0;
let runsWithSeveralSignatures = 0;

describe('several signers at the facade, driven by random interleavings (model-based)', () => {
  it('keeps one credit per procedure, captured or released once, and every signer verified before signing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), async (cmds) => {
        const { model, real } = await setup();
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        if (model.completed > 0) runsThatCompleted += 1;
        if (model.signatures > 1) runsWithSeveralSignatures += 1;
      }),
      { numRuns: process.env.CI === 'true' ? 200 : 40 },
    );
    // Signatures seal PDFs: 200 runs take longer than the default minute.
  }, 600_000);

  afterAll(() => {
    // Worth something only if runs reach several signatures and complete procedures.
    expect(runsWithSeveralSignatures).toBeGreaterThan(0);
    expect(runsThatCompleted).toBeGreaterThan(0);
  });
});
