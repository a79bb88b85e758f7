// One app instance on a SQLite file, sending when told, to meet storage faults from a process of its own (a test
// runs it as another user): `node --import tsx --conditions=@paraphe/source storage-fault-worker.ts <file>`.
// Prints `ready`; then for each line `send <quoteId>` prints one JSON line { quoteId, outcome, details };
// `quit` closes the app and ends the process.
import { createInterface } from 'node:readline';
import * as E from 'fp-ts/lib/Either.js';
import { outcomeOf, SEND_EMAIL, seller, startStorageApp } from '../src/test-support/storage-world.js';

const [filename] = process.argv.slice(2);
if (filename === undefined) throw new Error('usage: storage-fault-worker.ts <file>');
const { paraphe, crm } = await startStorageApp({
  storage: { kind: 'sqlite', filename },
  fakePdf: true,
  dispatch: 'manual',
});
process.stdout.write('ready\n');
const input = createInterface({ input: process.stdin });
for await (const line of input) {
  const [command, quoteId] = line.split(' ');
  if (command === 'quit') break;
  if (command !== 'send' || quoteId === undefined) continue;
  await crm.addQuote(quoteId);
  const result = await paraphe.sender.send(seller, { quoteId, ...SEND_EMAIL })();
  const details = E.isLeft(result) ? (result.left.details ?? {}) : {};
  process.stdout.write(`${JSON.stringify({ quoteId, outcome: outcomeOf(result), details })}\n`);
}
await paraphe.close();
input.close();
process.stdin.destroy();
