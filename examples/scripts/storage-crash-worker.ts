// An app instance on a SQLite file, doing what a CRM does until it is killed:
// `node --import tsx --conditions=@paraphe/source storage-crash-worker.ts work <file> <mail log> <quote log> <run>`
// sends quotes, delivers the outbox, signs some procedures, cancels a few, orders credits when short, in a loop;
// it prints `ready` once its storage is open. Outbox delivery is manual, so a kill can land between a commit and
// the delivery of what it queued.
// `… storage-crash-worker.ts recover <file> <mail log> <quote log> <now as ISO>` is the restart: it runs the
// periodic jobs once at `now` (later than every outbox claim's lease) and prints `recovered <expired> <delivered>`.
import { appendFileSync } from 'node:fs';
import { makeAdjustableClock } from '@paraphe/adapters';
import * as E from 'fp-ts/lib/Either.js';
import {
  admin,
  lastCode,
  makeFileMailer,
  right,
  SEND_EMAIL,
  seller,
  startStorageApp,
  tokenOf,
} from '../src/test-support/storage-world.js';

const [mode, filename, mailLog, quoteLog, last] = process.argv.slice(2);
if (filename === undefined || mailLog === undefined || quoteLog === undefined || last === undefined)
  throw new Error('usage: storage-crash-worker.ts work|recover <file> <mail log> <quote log> <run|now>');
const mailer = makeFileMailer(mailLog);
const storage = { kind: 'sqlite', filename } as const;

if (mode === 'recover') {
  const clock = makeAdjustableClock(new Date(last));
  const { paraphe } = await startStorageApp({
    storage,
    dispatch: 'manual',
    fakePdf: true,
    adapters: { mailer, clock },
  });
  const jobs = await right(paraphe.system.runPeriodicJobs());
  await paraphe.close();
  process.stdout.write(`recovered ${jobs.expired} ${jobs.delivered}\n`);
} else {
  const { paraphe, crm, sms } = await startStorageApp({
    storage,
    dispatch: 'manual',
    fakePdf: true,
    adapters: { mailer },
  });
  const { sender, signer, system } = paraphe;
  await right(system.dispatchOutbox());
  process.stdout.write('ready\n');
  const done = new Set<string>();
  for (let i = 0; ; i++) {
    const quoteId = `q-${last}-${i}`;
    // Logged before the send, so the parent knows every quote that may have a procedure.
    appendFileSync(quoteLog, `${quoteId}\n`);
    await crm.addQuote(quoteId);
    if ((await right(sender.getCredits(seller))).available < 2)
      await right(paraphe.admin.orderCredits(admin, { quantity: 5, orderReference: `PO-${last}-${i}` }));
    const sent = await sender.send(seller, { quoteId, ...SEND_EMAIL })();
    if (E.isLeft(sent)) throw new Error(`send refused: ${JSON.stringify(sent.left)}`);
    await right(system.dispatchOutbox());
    if (i % 5 === 4) {
      await right(sender.cancel(seller, sent.right.id));
      done.add(sent.right.id);
    }
    // Sign every procedure whose invitation this process delivered and that is still open.
    for (const [procedureId, link] of mailer.links) {
      if (done.has(procedureId)) continue;
      const token = tokenOf(link);
      await right(signer.open(token));
      await right(signer.requestCode(token));
      await right(signer.verifyCode(token, lastCode(sms, procedureId)));
      await right(signer.sign(token, true));
      done.add(procedureId);
      await right(system.dispatchOutbox());
    }
  }
}
