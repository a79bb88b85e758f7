import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeInMemoryStorage } from '@paraphe/adapters';
import { makeSqliteStorage } from '@paraphe/adapters/sqlite';
import { crmError, type Storage, storageOutcomeUnknown, storageUnavailable } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { afterAll, describe, expect, it } from 'vitest';
import { type FaultyStorage, makeFaultyStorage } from '../test-support/faulty-storage.js';
import { type Harness, right, seller } from '../test-support/harness.js';
import { MINUTE, readyHarness, sendInput } from '../test-support/story.js';

const transient = storageUnavailable('connection lost');
const directory = mkdtempSync(join(tmpdir(), 'paraphe-bookkeeping-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const storages: ReadonlyArray<readonly [string, () => Storage]> = [
  ['in memory', () => makeInMemoryStorage()],
  ['on SQLite', () => makeSqliteStorage({ filename: join(directory, `${Math.random()}.db`) })],
];

const outboxRecord = async (h: Harness, id: string) =>
  (await right(() => h.storage.unitOfWork((s) => s.outbox.list())())).find((r) => r.message.id === id);
const procedure = (h: Harness, id: string) => right(h.paraphe.sender.getProcedure(seller, id));
const invitations = (h: Harness) => h.mailer.sent.filter((m) => m.kind === 'invitation');

describe.each(storages)('an invitation the mailer accepted (%s)', (_, makeStorage) => {
  const harness = async (): Promise<{ h: Harness; storage: FaultyStorage }> => {
    const storage = makeFaultyStorage(makeStorage());
    const h = await readyHarness({ storage });
    return { h, storage };
  };

  it('moves the procedure to sent although recording the delivery failed at first (it is retried)', async () => {
    const { h, storage } = await harness();
    let failed = 0;
    storage.setFault((store, method) => {
      if (store !== 'outbox' || method !== 'markDelivered' || failed === 2) return undefined;
      failed += 1;
      return transient;
    });
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1')));
    expect(failed).toBe(2);
    expect(view.status).toBe('sent');
    expect(await outboxRecord(h, `${view.id}.invitation`)).toMatchObject({ status: 'delivered' });
    expect(invitations(h)).toHaveLength(1);
    await h.paraphe.close();
  });

  it('a send that committed answers with the procedure although everything after the commit failed', async () => {
    const { h, storage } = await harness();
    // The database drops out for good once the mailer accepted the invitation: neither its bookkeeping nor the
    // facade's read of the procedure after delivery can run.
    storage.setFault(() => (h.mailer.sent.length > 0 ? transient : undefined));
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1')));
    expect(view).toMatchObject({ status: 'pending', credit: 'reserved' });
    expect(invitations(h)).toHaveLength(1);
    storage.setFault(undefined);
    expect((await procedure(h, view.id)).status).toBe('pending');
    await h.paraphe.close();
  });

  it('a pending procedure whose delivery was never recorded becomes sent when the signer opens the link, and the invitation is not sent again', async () => {
    const { h, storage } = await harness();
    storage.setFault((store, method) =>
      store === 'outbox' && method === 'markDelivered' ? transient : undefined,
    );
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1')));
    expect(view.status).toBe('pending');
    expect(await outboxRecord(h, `${view.id}.invitation`)).toMatchObject({ status: 'pending' });
    storage.setFault(undefined);

    const page = await right(h.paraphe.signer.open(h.tokenFor(view.id)));
    expect(page.status).toBe('opened');
    const after = await procedure(h, view.id);
    expect(after.status).toBe('opened');
    expect(after.timeline.map((e) => e.type)).toEqual(['procedure_created', 'invitation_sent', 'opened']);
    expect(await outboxRecord(h, `${view.id}.invitation`)).toMatchObject({ status: 'delivered' });
    // A page view delivers nothing: the worker tells the CRM.
    await right(h.paraphe.system.dispatchOutbox());
    expect(h.crm.notifications.map((n) => n.status)).toEqual(['sent', 'opened']);

    // Past the claim's lease, the outbox has nothing left to deliver: one invitation in all.
    h.clock.advanceBy(10 * MINUTE);
    await right(h.paraphe.system.dispatchOutbox());
    expect(invitations(h)).toHaveLength(1);
    await h.paraphe.close();
  });

  it('an invitation whose procedure could not be read for its link is retried, never given up', async () => {
    const storage = makeFaultyStorage(makeStorage());
    const h = await readyHarness({ storage, dispatch: 'manual' });
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1')));
    let failed = false;
    storage.setFault((store, method) => {
      if (failed || store !== 'procedures' || method !== 'get') return undefined;
      failed = true;
      return storageOutcomeUnknown();
    });
    await right(h.paraphe.system.dispatchOutbox());
    expect(failed).toBe(true);
    expect(await procedure(h, view.id)).toMatchObject({ status: 'pending', credit: 'reserved' });
    h.clock.advanceBy(MINUTE);
    await right(h.paraphe.system.dispatchOutbox());
    expect((await procedure(h, view.id)).status).toBe('sent');
    expect(invitations(h)).toHaveLength(1);
    await h.paraphe.close();
  });

  it('asking for a code straight from a link whose delivery was not recorded works as opening it first', async () => {
    const { h, storage } = await harness();
    storage.setFault((store, method) =>
      store === 'outbox' && method === 'markDelivered' ? transient : undefined,
    );
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1')));
    storage.setFault(undefined);
    await right(h.paraphe.signer.requestCode(h.tokenFor(view.id)));
    expect((await procedure(h, view.id)).timeline.map((e) => e.type)).toEqual([
      'procedure_created',
      'invitation_sent',
      'opened',
      'code_sent',
    ]);
    await h.paraphe.close();
  });
});

describe('a signer call whose CRM lookup fails', () => {
  it('is refused before anything changes, never after a commit', async () => {
    let crmDown = false;
    const h = await readyHarness({
      quoteSource: (crm) => ({
        ...crm,
        getUser: (tenantId, userId) =>
          crmDown ? TE.left(crmError(true, 'HTTP_503')) : crm.getUser(tenantId, userId),
      }),
    });
    const view = await right(h.paraphe.sender.send(seller, sendInput('q1')));
    const token = h.tokenFor(view.id);
    crmDown = true;
    for (const call of [
      h.paraphe.signer.open(token),
      h.paraphe.signer.requestCode(token),
      h.paraphe.signer.decline(token, 'Trop cher'),
    ]) {
      const result = await call();
      expect(E.isLeft(result) && result.left.code).toBe('CRM_FAILURE');
    }
    const after = await procedure(h, view.id);
    expect(after.status).toBe('sent');
    expect(h.sms.sent).toEqual([]);
    crmDown = false;
    expect((await right(h.paraphe.signer.decline(token, 'Trop cher'))).status).toBe('declined');
  });
});
