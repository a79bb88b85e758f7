import {
  balanceOf,
  type DomainError,
  type LedgerEntry,
  type SignatureProcedure,
  type UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { expect } from 'vitest';
import { admin, type Harness, makeHarness, right, START, seller, TENANT } from './harness.js';
import { expectSame, observe, type Scope } from './observe.js';

/** Two tenants that use the same quote ids, so a leak between them would show. */
export const TENANTS = [TENANT, 'globex'] as const;
export type TenantId = (typeof TENANTS)[number];
export const QUOTES = ['q0', 'q1', 'q2'] as const;
export const LIFETIME_MS = 15 * 24 * 3600 * 1000;
export const CODE_VALIDITY_MS = 5 * 60 * 1000;
export const COOLDOWN_MS = 30 * 1000;
export const MAX_CODES = 5;
export const INITIAL_CREDITS = 2;

export const users: Record<TenantId, UserActor> = {
  acme: seller,
  globex: { kind: 'user', tenantId: 'globex', userId: 'gus', role: 'user' },
};
export const admins: Record<TenantId, UserActor> = {
  acme: admin,
  globex: { kind: 'user', tenantId: 'globex', userId: 'gina', role: 'admin' },
};
export const otherTenant = (tenant: TenantId): TenantId => (tenant === 'acme' ? 'globex' : 'acme');

export type ModelStatus = 'sent' | 'opened' | 'verified' | 'signed' | 'declined' | 'cancelled' | 'expired';

export interface ModelProcedure {
  readonly id: string;
  readonly tenant: TenantId;
  readonly quoteId: string;
  readonly token: string;
  readonly deadline: number;
  status: ModelStatus;
  codes: number;
  lastCodeAt?: number;
  /** The code the signer last received, as they read it from the SMS. */
  code?: { readonly value: string; readonly expiresAt: number; wrongLeft: number };
}

/** What the facade should do, kept as simply as possible: counts, statuses and times. */
export interface Model {
  now: number;
  readonly purchased: Record<TenantId, number>;
  readonly procedures: ModelProcedure[];
  signatures: number;
}

export interface Real {
  readonly h: Harness;
}

const HOLDING: ReadonlyArray<ModelStatus> = ['sent', 'opened', 'verified', 'signed'];
const IN_PROGRESS: ReadonlyArray<ModelStatus> = ['sent', 'opened', 'verified'];

export const isTerminal = (p: ModelProcedure): boolean => !IN_PROGRESS.includes(p.status);
export const isLate = (m: Model, p: ModelProcedure): boolean => !isTerminal(p) && m.now >= p.deadline;
export const available = (m: Model, tenant: TenantId): number =>
  m.purchased[tenant] - m.procedures.filter((p) => p.tenant === tenant && HOLDING.includes(p.status)).length;
export const blocksQuote = (m: Model, tenant: TenantId, quoteId: string): boolean =>
  m.procedures.some((p) => p.tenant === tenant && p.quoteId === quoteId && HOLDING.includes(p.status));

const progress: Partial<Record<ModelStatus, number>> = { sent: 0, opened: 1, verified: 2 };

/**
 * `0` is the live procedure furthest along the signer's path (the latest among equals), so that path, which takes
 * several steps on one procedure, is walked to its end often; any other number counts back from the latest
 * procedure of all, ended ones included.
 */
export const pick = (m: Model, n: number): ModelProcedure | undefined => {
  if (n === 0) {
    const live = m.procedures.filter((p) => !isTerminal(p));
    const furthest = live.reduce<ModelProcedure | undefined>(
      (best, p) =>
        best === undefined || (progress[p.status] ?? 0) >= (progress[best.status] ?? 0) ? p : best,
      undefined,
    );
    if (furthest !== undefined) return furthest;
  }
  return m.procedures[m.procedures.length - 1 - (n % Math.max(1, m.procedures.length))];
};

/** The refusal a signer action gets before any step-specific rule: ended, then expired by time. */
export const signerGate = (m: Model, p: ModelProcedure): string | undefined =>
  isTerminal(p) ? 'PROCEDURE_ENDED' : isLate(m, p) ? 'PROCEDURE_EXPIRED' : undefined;

export const scopeOfTenant = (tenant: TenantId): Scope => ({
  tenants: [tenant],
  quotes: QUOTES.map((q) => [tenant, q] as const),
});
const everything: Scope = {
  tenants: [...TENANTS],
  quotes: TENANTS.flatMap((t) => QUOTES.map((q) => [t, q] as const)),
};

export const setup = async (): Promise<{ model: Model; real: Real }> => {
  const h = await makeHarness();
  h.crm.putUser('globex', { id: 'gus', name: 'Gus Ortega', email: 'gus@globex.example' });
  for (const tenant of TENANTS) {
    await right(h.paraphe.admin.activate(admins[tenant]));
    await right(
      h.paraphe.admin.orderCredits(admins[tenant], { quantity: INITIAL_CREDITS, orderReference: 'initial' }),
    );
    for (const quoteId of QUOTES)
      await h.putQuote(quoteId, { tenantId: tenant, ownerId: users[tenant].userId });
  }
  return {
    model: {
      now: START.getTime(),
      purchased: { acme: INITIAL_CREDITS, globex: INITIAL_CREDITS },
      procedures: [],
      signatures: 0,
    },
    real: { h },
  };
};

/** Runs a facade call; `expected` undefined means it must succeed, otherwise it must fail with that code. */
export const expectOutcome = async <A>(
  call: () => Promise<E.Either<{ readonly code: string }, A>>,
  expected: string | undefined,
): Promise<A | undefined> => {
  const result = await call();
  if (expected === undefined) {
    if (E.isLeft(result)) throw new Error(`Expected success, got ${result.left.code}`);
    return result.right;
  }
  expect(E.isLeft(result) ? result.left.code : 'success').toBe(expected);
  return undefined;
};

const stored = async (h: Harness) =>
  right(() =>
    h.storage.unitOfWork((session) => async () => {
      const procedures: SignatureProcedure[] = [];
      const ledgers: Partial<Record<TenantId, { entries: ReadonlyArray<LedgerEntry>; balance: unknown }>> =
        {};
      for (const tenant of TENANTS) {
        const entries = await session.ledger.entries(tenant)();
        const balance = await session.ledger.balanceForUpdate(tenant)();
        if (E.isLeft(entries) || E.isLeft(balance))
          return E.left(E.isLeft(entries) ? entries.left : (balance as E.Left<never>).left);
        ledgers[tenant] = { entries: entries.right, balance: balance.right };
        for (const quoteId of QUOTES) {
          const list = await session.procedures.listByQuote(tenant, quoteId)();
          if (E.isLeft(list)) return list;
          procedures.push(...list.right);
        }
      }
      return E.right({ procedures, ledgers });
    })(),
  );

const countFor = (entries: ReadonlyArray<LedgerEntry>, kind: LedgerEntry['kind'], procedureId: string) =>
  entries.filter((e) => e.kind === kind && 'procedureId' in e && e.procedureId === procedureId).length;

/** What must hold after every command, read from storage rather than through the facade. */
export const checkInvariants = async (m: Model, { h }: Real): Promise<void> => {
  const { procedures, ledgers } = await stored(h);
  for (const tenant of TENANTS) {
    const ledger = ledgers[tenant];
    if (ledger === undefined) throw new Error('no ledger read');
    const balance = balanceOf(ledger.entries);
    expect(ledger.balance).toEqual(balance);
    expect(balance.purchased).toBe(balance.available + balance.reserved + balance.captured);
    expect(balance.purchased).toBe(m.purchased[tenant]);
    expect(balance.available).toBe(available(m, tenant));
  }
  expect(procedures.map((p) => p.id).sort()).toEqual(m.procedures.map((p) => p.id).sort());
  for (const p of procedures) {
    const entries = ledgers[p.tenantId as TenantId]?.entries ?? [];
    const endedUnsigned = ['expired', 'cancelled', 'declined', 'failed'].includes(p.status);
    expect(countFor(entries, 'reserved', p.id)).toBe(1);
    expect(countFor(entries, 'released', p.id)).toBe(endedUnsigned ? 1 : 0);
    expect(countFor(entries, 'captured', p.id)).toBe(p.status === 'signed' ? 1 : 0);
    expect(p.status).toBe(m.procedures.find((mp) => mp.id === p.id)?.status);
    if (p.status === 'signed') {
      // Every signer verified their own code before their own signature (events name their signer with several).
      for (const signer of p.signers) {
        const theirs = p.events
          .filter((e) => p.signers.length === 1 || e.data.signer === signer.position + 1)
          .map((e) => e.type);
        const verified = theirs.indexOf('code_verified');
        expect(signer.status).toBe('signed');
        expect(verified).toBeGreaterThanOrEqual(0);
        expect(verified).toBeLessThan(theirs.indexOf('signed'));
      }
    }
  }
};

/** A user and an admin of the other tenant try to read, cancel and download: not found, and nothing changes. */
export const probeFromOtherTenant = async (h: Harness, target: ModelProcedure): Promise<void> => {
  const outsider = otherTenant(target.tenant);
  for (const actor of [users[outsider], admins[outsider]]) {
    // Listing answers (and so delivers the outbox, as every successful call does): checked outside the window.
    const listed = await right(h.paraphe.sender.listProcedures(actor, target.quoteId));
    expect(listed.map((p) => p.id)).not.toContain(target.id);
  }
  const before = await observe(h, everything);
  for (const actor of [users[outsider], admins[outsider]]) {
    const calls: ReadonlyArray<TE.TaskEither<DomainError, unknown>> = [
      h.paraphe.sender.getProcedure(actor, target.id),
      h.paraphe.sender.cancel(actor, target.id),
      h.paraphe.sender.downloadSignedDocument(actor, target.id),
      h.paraphe.sender.downloadCertificate(actor, target.id),
    ];
    for (const call of calls) {
      await expectOutcome(call, 'PROCEDURE_NOT_FOUND');
    }
  }
  expectSame(await observe(h, everything), before);
};
