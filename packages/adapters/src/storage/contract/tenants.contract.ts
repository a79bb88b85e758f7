import * as O from 'fp-ts/lib/Option.js';
import { expect, it } from 'vitest';
import type { StorageUnderTest } from '../storage.contract.js';
import { activeSettings } from '../test-support/procedure-fixtures.js';
import { runRight } from '../test-support/run-work.js';

export const tenantsContract = (storage: StorageUnderTest): void => {
  it('has no settings for a tenant no admin configured', async () => {
    expect(await runRight(storage(), (s) => s.tenants.getSettings('nobody'))).toStrictEqual(O.none);
  });

  it('saves settings and replaces them on the next save (upsert), per tenant', async () => {
    const first = activeSettings('Acme');
    const second = activeSettings('Acme SA', {
      procedureLifetimeDays: 30,
      followUp: { enabled: true, title: 'Appeler', assignee: { kind: 'user', userId: 'u-9' }, dueInDays: 1 },
    });
    await runRight(storage(), (s) => s.tenants.saveSettings('tenant-a', first));
    expect(await runRight(storage(), (s) => s.tenants.getSettings('tenant-a'))).toStrictEqual(O.some(first));
    await runRight(storage(), (s) => s.tenants.saveSettings('tenant-a', second));
    await runRight(storage(), (s) => s.tenants.saveSettings('tenant-b', first));
    expect(await runRight(storage(), (s) => s.tenants.getSettings('tenant-a'))).toStrictEqual(O.some(second));
    expect(await runRight(storage(), (s) => s.tenants.getSettings('tenant-b'))).toStrictEqual(O.some(first));
  });
};
