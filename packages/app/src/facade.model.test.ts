import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  admins,
  available,
  blocksQuote,
  CODE_VALIDITY_MS,
  COOLDOWN_MS,
  checkInvariants,
  expectOutcome,
  isLate,
  LIFETIME_MS,
  MAX_CODES,
  type Model,
  type ModelProcedure,
  pick,
  probeFromOtherTenant,
  QUOTES,
  type Real,
  setup,
  signerGate,
  TENANTS,
  type TenantId,
  users,
} from './test-support/facade-model.js';
import { right } from './test-support/harness.js';

type Command = fc.AsyncCommand<Model, Real>;

/** Every command checks the invariants after it ran, and that the other tenant cannot reach the last procedure. */
abstract class Checked implements Command {
  abstract check(m: Readonly<Model>): boolean;
  abstract act(m: Model, r: Real): Promise<void>;
  abstract toString(): string;
  async run(m: Model, r: Real): Promise<void> {
    await this.act(m, r);
    await checkInvariants(m, r);
    const last = m.procedures[m.procedures.length - 1];
    if (last !== undefined) await probeFromOtherTenant(r.h, last);
  }
}

/** A command on one of the recent procedures. */
abstract class OnProcedure extends Checked {
  constructor(readonly n: number) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return m.procedures.length > 0;
  }
  target(m: Model): ModelProcedure {
    const p = pick(m, this.n);
    if (p === undefined) throw new Error('no procedure');
    return p;
  }
}

class OrderCredits extends Checked {
  constructor(
    readonly tenant: TenantId,
    readonly quantity: number,
  ) {
    super();
  }
  check = () => true;
  async act(m: Model, { h }: Real) {
    await right(
      h.paraphe.admin.orderCredits(admins[this.tenant], { quantity: this.quantity, orderReference: 'PO' }),
    );
    m.purchased[this.tenant] += this.quantity;
  }
  toString = () => `OrderCredits(${this.tenant}, ${this.quantity})`;
}

class Send extends Checked {
  constructor(
    readonly tenant: TenantId,
    readonly quoteId: string,
  ) {
    super();
  }
  check = () => true;
  async act(m: Model, { h }: Real) {
    const reasons = [
      ...(blocksQuote(m, this.tenant, this.quoteId) ? ['PROCEDURE_IN_PROGRESS_OR_SIGNED'] : []),
      ...(available(m, this.tenant) < 1 ? ['NO_CREDIT_AVAILABLE'] : []),
    ];
    const input = { quoteId: this.quoteId, subject: 'Devis', body: 'Signez : {{signing_link}}' };
    const result = await h.paraphe.sender.send(users[this.tenant], input)();
    if (reasons.length > 0) {
      expect(result._tag === 'Left' && result.left.code).toBe('SEND_REFUSED');
      expect(result._tag === 'Left' && result.left.reasons?.map((r) => r.code)).toEqual(reasons);
      return;
    }
    if (result._tag === 'Left') throw new Error(`Expected a send, got ${result.left.code}`);
    expect(result.right.status).toBe('sent');
    const { id } = result.right;
    m.procedures.push({
      id,
      tenant: this.tenant,
      quoteId: this.quoteId,
      token: h.tokenFor(id),
      deadline: m.now + LIFETIME_MS,
      status: 'sent',
      codes: 0,
    });
  }
  toString = () => `Send(${this.tenant}, ${this.quoteId})`;
}

class Open extends OnProcedure {
  async act(m: Model, { h }: Real) {
    const p = this.target(m);
    const page = await right(h.paraphe.signer.open(p.token));
    if (p.status === 'sent' && !isLate(m, p)) p.status = 'opened';
    expect(page.status).toBe(isLate(m, p) ? 'expired' : p.status);
  }
  toString = () => `Open(${this.n})`;
}

class RequestCode extends OnProcedure {
  async act(m: Model, { h }: Real) {
    const p = this.target(m);
    const refusal =
      signerGate(m, p) ??
      (p.status === 'verified'
        ? 'TRANSITION_NOT_ALLOWED'
        : p.codes >= MAX_CODES
          ? 'CODE_LIMIT_REACHED'
          : p.lastCodeAt !== undefined && m.now < p.lastCodeAt + COOLDOWN_MS
            ? 'CODE_COOLDOWN'
            : undefined);
    await expectOutcome(h.paraphe.signer.requestCode(p.token), refusal);
    if (refusal !== undefined) return;
    p.status = 'opened';
    p.codes += 1;
    p.lastCodeAt = m.now;
    p.code = { value: h.lastCode(p.id), expiresAt: m.now + CODE_VALIDITY_MS, wrongLeft: 3 };
  }
  toString = () => `RequestCode(${this.n})`;
}

class VerifyCode extends OnProcedure {
  constructor(
    n: number,
    readonly right: boolean,
  ) {
    super(n);
  }
  async act(m: Model, { h }: Real) {
    const p = this.target(m);
    const code = p.code;
    const refusal =
      signerGate(m, p) ??
      (p.status !== 'opened'
        ? 'TRANSITION_NOT_ALLOWED'
        : code === undefined || code.wrongLeft === 0
          ? 'NO_ACTIVE_CODE'
          : m.now >= code.expiresAt
            ? 'CODE_EXPIRED'
            : undefined);
    const typed =
      code === undefined
        ? '123456'
        : this.right
          ? code.value
          : String((Number(code.value) + 1) % 1e6).padStart(6, '0');
    const result = await expectOutcome(h.paraphe.signer.verifyCode(p.token, typed), refusal);
    if (refusal !== undefined || code === undefined) return;
    if (this.right) {
      expect(result).toEqual({ outcome: 'verified' });
      p.status = 'verified';
    } else {
      code.wrongLeft -= 1;
      expect(result).toEqual({ outcome: 'rejected', attemptsLeft: code.wrongLeft });
    }
  }
  toString = () => `VerifyCode(${this.n}, ${this.right ? 'right' : 'wrong'})`;
}

class Sign extends OnProcedure {
  async act(m: Model, { h }: Real) {
    const p = this.target(m);
    const refusal = signerGate(m, p) ?? (p.status !== 'verified' ? 'CODE_NOT_VERIFIED' : undefined);
    await expectOutcome(h.paraphe.signer.sign(p.token, true), refusal);
    if (refusal !== undefined) return;
    p.status = 'signed';
    m.signatures += 1;
  }
  toString = () => `Sign(${this.n})`;
}

class Decline extends OnProcedure {
  async act(m: Model, { h }: Real) {
    const p = this.target(m);
    const refusal = signerGate(m, p);
    await expectOutcome(h.paraphe.signer.decline(p.token, 'Non merci'), refusal);
    if (refusal === undefined) p.status = 'declined';
  }
  toString = () => `Decline(${this.n})`;
}

class Cancel extends OnProcedure {
  async act(m: Model, { h }: Real) {
    const p = this.target(m);
    const refusal = signerGate(m, p);
    await expectOutcome(h.paraphe.sender.cancel(users[p.tenant], p.id), refusal);
    if (refusal === undefined) p.status = 'cancelled';
  }
  toString = () => `Cancel(${this.n})`;
}

class ExpireDue extends Checked {
  check = () => true;
  async act(m: Model, { h }: Real) {
    const due = m.procedures.filter((p) => isLate(m, p));
    expect(await right(h.paraphe.system.expireDue())).toBe(due.length);
    for (const p of due) p.status = 'expired';
  }
  toString = () => 'ExpireDue';
}

class Dispatch extends Checked {
  check = () => true;
  async act(_m: Model, { h }: Real) {
    await right(h.paraphe.system.dispatchOutbox());
  }
  toString = () => 'Dispatch';
}

class AdvanceClock extends Checked {
  constructor(readonly ms: number) {
    super();
  }
  check = () => true;
  async act(m: Model, { h }: Real) {
    h.clock.advanceBy(this.ms);
    m.now += this.ms;
  }
  toString = () => `AdvanceClock(${this.ms})`;
}

/** The signer takes the next step on their path, whichever it is: ask for a code, type it, or sign. */
class SignerGoesOn extends OnProcedure {
  async act(m: Model, r: Real) {
    const p = this.target(m);
    const code = p.code;
    const codeUsable = code !== undefined && code.wrongLeft > 0 && m.now < code.expiresAt;
    const next =
      p.status === 'verified'
        ? new Sign(this.n)
        : p.status === 'opened' && codeUsable
          ? new VerifyCode(this.n, true)
          : new RequestCode(this.n);
    await next.act(m, r);
  }
  toString = () => `SignerGoesOn(${this.n})`;
}

class ProbeOtherTenant extends OnProcedure {
  async act(m: Model, { h }: Real) {
    await probeFromOtherTenant(h, this.target(m));
  }
  toString = () => `ProbeOtherTenant(${this.n})`;
}

const tenant = fc.constantFrom(...TENANTS);
/** Mostly the latest procedure: the signer's path takes several steps on the same one. */
const recent = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.nat({ max: 3 }) },
);
/** For the commands that end a procedure: they would otherwise mostly end the one walking towards a signature. */
const anyRecent = fc.nat({ max: 3 });
const duration = fc.oneof(
  fc.integer({ min: 1_000, max: 60_000 }),
  fc.integer({ min: 60_000, max: 6 * 3600_000 }),
  fc.integer({ min: 6 * 3600_000, max: 20 * 24 * 3600_000 }),
);

/** Repeats an arbitrary: `fc.commands` picks uniformly among its arbitraries, so this is how commands are weighted. */
const weighted = <A>(weight: number, arbitrary: fc.Arbitrary<A>) =>
  Array.from({ length: weight }, () => arbitrary);

const commands = [
  fc.tuple(tenant, fc.integer({ min: 1, max: 3 })).map(([t, q]) => new OrderCredits(t, q)),
  ...weighted(
    2,
    fc.tuple(tenant, fc.constantFrom(...QUOTES)).map(([t, q]) => new Send(t, q)),
  ),
  recent.map((n) => new Open(n)),
  recent.map((n) => new RequestCode(n)),
  recent.map((n) => new VerifyCode(n, true)),
  recent.map((n) => new VerifyCode(n, false)),
  recent.map((n) => new Sign(n)),
  ...weighted(
    4,
    recent.map((n) => new SignerGoesOn(n)),
  ),
  anyRecent.map((n) => new Decline(n)),
  anyRecent.map((n) => new Cancel(n)),
  fc.constant(new ExpireDue()),
  fc.constant(new Dispatch()),
  duration.map((ms) => new AdvanceClock(ms)),
  recent.map((n) => new ProbeOtherTenant(n)),
];

let runs = 0;
let runsThatSigned = 0;

describe('the facade, driven by random interleavings of every use case (model-based)', () => {
  it('keeps the ledger exact, signs only verified signers, and keeps tenants apart', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25, size: 'max' }), async (cmds) => {
        const { model, real } = await setup();
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        runs += 1;
        if (model.signatures > 0) runsThatSigned += 1;
      }),
      { numRuns: 80 },
    );
  });

  afterAll(() => {
    // The property is only worth something if it reaches the end of the signer's path.
    expect(runs).toBeGreaterThan(0);
    expect(runsThatSigned).toBeGreaterThan(0);
  });
});
