// A process that writes through a SQLite storage and never closes it:
// `node --import tsx sqlite-unclosed-storage.ts <file>`. It must still exit once its work is done.
import { makeSqliteStorage } from '../sqlite/sqlite-storage.js';

const [filename] = process.argv.slice(2);
const storage = makeSqliteStorage({ filename: filename! });
// Some 1,000 WAL frames: enough for the background checkpointer to run, and to answer, while the process lives.
for (let i = 0; i < 200; i++)
  await storage.unitOfWork((s) => s.documents.put(`p-${i}`, 'original', Buffer.alloc(16_384, i % 251)))();
process.stdout.write('written\n');
