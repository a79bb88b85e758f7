// A separate process sending on a shared SQLite file: `node --import tsx sqlite-send-worker.ts <file> <first> <count>`.
// Prints one JSON line: the error code of each send, or "sent".
import * as E from 'fp-ts/lib/Either.js';
import { makeSqliteStorage } from '../sqlite/sqlite-storage.js';
import { at, T0 } from './procedure-fixtures.js';
import { failureName } from './run-work.js';
import { simulateSend } from './send-simulation.js';

const [filename, firstArg, countArg] = process.argv.slice(2);
const first = Number(firstArg);
const count = Number(countArg);
const storage = makeSqliteStorage({ filename: filename!, busyTimeoutMs: 10_000 });
const outcomes = await Promise.all(
  Array.from({ length: count }, (_, i) =>
    storage.unitOfWork((s) => simulateSend(s, 'tenant-a', `send-${first + i}`, at(T0, first + i)))(),
  ),
);
await storage.close();
process.stdout.write(
  `${JSON.stringify(outcomes.map((o) => (E.isRight(o) ? 'sent' : failureName(o.left))))}\n`,
);
