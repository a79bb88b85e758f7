import { describe, expect, it } from 'vitest';
import { assertLeft, assertRight } from '../test-support/assert-either.js';
import { T0, TENANT } from '../test-support/fixtures.js';
import {
  applyEntry,
  balanceOf,
  captureCredit,
  emptyBalance,
  foldLedger,
  type LedgerEntry,
  MAX_CREDITS_PER_ORDER,
  purchaseCredits,
  releaseCredit,
  reserveCredit,
} from './credit-ledger.js';

const purchase = (quantity: number): LedgerEntry =>
  assertRight(purchaseCredits(TENANT, quantity, 'order-1', T0));
const reserved = (procedureId: string): LedgerEntry => ({
  kind: 'reserved',
  tenantId: TENANT,
  procedureId,
  at: T0,
});
const captured = (procedureId: string): LedgerEntry => ({
  kind: 'captured',
  tenantId: TENANT,
  procedureId,
  at: T0,
});
const released = (procedureId: string): LedgerEntry => ({
  kind: 'released',
  tenantId: TENANT,
  procedureId,
  reason: 'expired',
  at: T0,
});

describe('purchaseCredits', () => {
  it('records a positive whole quantity with its order reference', () => {
    expect(purchase(10)).toEqual({
      kind: 'purchased',
      tenantId: TENANT,
      quantity: 10,
      orderReference: 'order-1',
      at: T0,
    });
    purchase(MAX_CREDITS_PER_ORDER);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_CREDITS_PER_ORDER + 1])(
    'refuses the quantity %s',
    (quantity) => {
      const error = assertLeft(purchaseCredits(TENANT, quantity, 'order-1', T0));
      expect(error.code).toBe('INVALID_CREDIT_QUANTITY');
      expect(error.message).toEqual({
        fr: 'La quantité de crédits doit être un entier positif',
        en: 'The credit quantity must be a positive whole number',
      });
    },
  );
});

describe('reserveCredit', () => {
  it('takes one available credit for a procedure without a hold', () => {
    const entry = assertRight(reserveCredit(balanceOf([purchase(1)]), undefined, TENANT, 'p1', T0));
    expect(entry).toEqual(reserved('p1'));
  });

  it('refuses without an available credit', () => {
    const error = assertLeft(reserveCredit(emptyBalance, undefined, TENANT, 'p1', T0));
    expect(error.code).toBe('NO_CREDIT_AVAILABLE');
    expect(error.message).toEqual({
      fr: 'Aucun crédit de signature disponible',
      en: 'No signature credit available',
    });
    const allTaken = balanceOf([purchase(1), reserved('p0')]);
    expect(assertLeft(reserveCredit(allTaken, undefined, TENANT, 'p1', T0)).code).toBe('NO_CREDIT_AVAILABLE');
  });

  it.each(['reserved', 'captured', 'released'] as const)('refuses a second reservation after %s', (hold) => {
    const error = assertLeft(reserveCredit(balanceOf([purchase(5)]), hold, TENANT, 'p1', T0));
    expect(error.code).toBe('CREDIT_ALREADY_HELD');
    expect(error.message).toEqual({
      fr: 'Un crédit est déjà réservé pour cette procédure',
      en: 'A credit is already reserved for this procedure',
    });
  });
});

describe('captureCredit and releaseCredit', () => {
  it('capture and release both need a reservation', () => {
    expect(assertRight(captureCredit('reserved', TENANT, 'p1', T0))).toEqual(captured('p1'));
    expect(assertRight(releaseCredit('reserved', TENANT, 'p1', 'expired', T0))).toEqual(released('p1'));
  });

  it.each([undefined, 'captured', 'released'] as const)(
    'refuses to capture or release when the hold is %s',
    (hold) => {
      const capture = assertLeft(captureCredit(hold, TENANT, 'p1', T0));
      const release = assertLeft(releaseCredit(hold, TENANT, 'p1', 'cancelled', T0));
      for (const error of [capture, release]) {
        expect(error.code).toBe('CREDIT_NOT_HELD');
        expect(error.details).toEqual({ hold: hold ?? 'none' });
        expect(error.message).toEqual({
          fr: "Aucun crédit réservé n'existe pour cette procédure",
          en: 'No credit is reserved for this procedure',
        });
      }
    },
  );
});

describe('balanceOf and foldLedger', () => {
  const entries: ReadonlyArray<LedgerEntry> = [
    purchase(3),
    reserved('p1'),
    reserved('p2'),
    captured('p1'),
    released('p2'),
    reserved('p3'),
    purchase(2),
  ];

  it('derive the same totals from the entries', () => {
    const expected = { purchased: 5, available: 3, reserved: 1, captured: 1 };
    expect(balanceOf(entries)).toEqual(expected);
    expect(foldLedger(entries).balance).toEqual(expected);
    expect(entries.reduce(applyEntry, emptyBalance)).toEqual(expected);
  });

  it("know each procedure's hold", () => {
    expect([...foldLedger(entries).holds]).toEqual([
      ['p1', 'captured'],
      ['p2', 'released'],
      ['p3', 'reserved'],
    ]);
  });

  it('start empty', () => {
    expect(balanceOf([])).toEqual(emptyBalance);
    expect(foldLedger([])).toEqual({ balance: emptyBalance, holds: new Map() });
  });
});
