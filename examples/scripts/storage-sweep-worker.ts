// One app instance in its own process, sweeping expiries on a shared SQLite file through the facade:
// `node --import tsx --conditions=@paraphe/source storage-sweep-worker.ts <file> <now as ISO>`.
// Prints `ready` once its storage is open, sweeps when it reads `go`, then prints `expired <count>`.
import { createInterface } from 'node:readline';
import { makeAdjustableClock } from '@paraphe/adapters';
import { right, seller, startStorageApp } from '../src/test-support/storage-world.js';

const [filename, nowIso] = process.argv.slice(2);
if (filename === undefined || nowIso === undefined)
  throw new Error('usage: storage-sweep-worker.ts <file> <now>');
const { paraphe } = await startStorageApp({
  storage: { kind: 'sqlite', filename },
  fakePdf: true,
  adapters: { clock: makeAdjustableClock(new Date(nowIso)) },
});
await right(paraphe.sender.getCredits(seller));
const input = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of input) if (line === 'go') break;
const expired = await right(paraphe.system.expireDue());
await paraphe.close();
process.stdout.write(`expired ${expired}\n`);
input.close();
