// An app process on a SQLite file, starting and sending when told, to meet storage faults from a process of its own
// (a test runs it as another user): `node --import tsx --conditions=@paraphe/source storage-fault-worker.ts <file>`.
// Prints `ready`, then answers each line with one JSON line: `start` → { started } or { code, details } (the app
// does not start on a database it cannot open); `send <quoteId>` → { quoteId, outcome, details }; `quit` ends.
import { createInterface } from 'node:readline';
import * as E from 'fp-ts/lib/Either.js';
import {
  createStorageApp,
  outcomeOf,
  SEND_EMAIL,
  type StorageApp,
  seller,
} from '../src/test-support/storage-world.js';

const [filename] = process.argv.slice(2);
if (filename === undefined) throw new Error('usage: storage-fault-worker.ts <file>');
const print = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
let app: StorageApp | undefined;
const input = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of input) {
  const [command, quoteId] = line.split(' ');
  if (command === 'quit') break;
  if (command === 'start') {
    const created = await createStorageApp({
      storage: { kind: 'sqlite', filename },
      fakePdf: true,
      dispatch: 'manual',
    });
    if (E.isRight(created)) app = created.right;
    print(
      E.isRight(created)
        ? { started: true }
        : { code: created.left.code, details: created.left.details ?? {} },
    );
  } else if (command === 'send' && quoteId !== undefined && app !== undefined) {
    await app.crm.addQuote(quoteId);
    const result = await app.paraphe.sender.send(seller, { quoteId, ...SEND_EMAIL })();
    print({
      quoteId,
      outcome: outcomeOf(result),
      details: E.isLeft(result) ? (result.left.details ?? {}) : {},
    });
  }
}
await app?.paraphe.close();
input.close();
process.stdin.destroy();
