// One app instance in its own process, sending on a shared SQLite file through the facade:
// `node --import tsx --conditions=@paraphe/source storage-send-worker.ts <file> <first> <count>`.
// Sends quotes q-<first>…q-<first+count-1> all at once; prints one JSON line: the outcome of each send.
import { outcomeOf, SEND_EMAIL, seller, startStorageApp } from '../src/test-support/storage-world.js';

const [filename, firstArg, countArg] = process.argv.slice(2);
if (filename === undefined) throw new Error('usage: storage-send-worker.ts <file> <first> <count>');
const first = Number(firstArg);
const count = Number(countArg);
const { paraphe, crm } = await startStorageApp({ storage: { kind: 'sqlite', filename } });
const quoteIds = Array.from({ length: count }, (_, i) => `q-${first + i}`);
for (const quoteId of quoteIds) await crm.addQuote(quoteId);
const outcomes = await Promise.all(
  quoteIds.map(async (quoteId) => outcomeOf(await paraphe.sender.send(seller, { quoteId, ...SEND_EMAIL })())),
);
await paraphe.close();
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
