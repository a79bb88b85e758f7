import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  /** The database file (its WAL and wal-index sit beside it, as `-wal` and `-shm`). */
  readonly filename: string;
  /** Frames written to the WAL and not yet copied into the database that start a checkpoint. */
  readonly thresholdFrames: number;
  /** How often the thread looks at the wal-index. */
  readonly pollMs: number;
}

export interface BackgroundCheckpointer {
  /** Checkpoints completed so far (for tests and metrics). */
  readonly checkpoints: () => number;
  /** Ends the thread; its connection closes with it. */
  readonly stop: () => Promise<void>;
}

// The thread's program, run as CommonJS from a string: the adapters ship as ESM and their TypeScript sources run
// through a loader in tests, neither of which a worker file could count on. It reads two counters of the
// wal-index (the `-shm` file, whose layout https://www.sqlite.org/walformat.html documents): `mxFrame`, the last
// frame committed to the WAL (byte 16), and `nBackfill`, the last frame already copied into the database (byte 96),
// both in the machine's byte order. A PASSIVE checkpoint never waits for nor blocks the writer.
const WORKER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
const header = Buffer.alloc(136);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
let shm;
const pending = () => {
  try {
    shm ??= openSync(workerData.filename + '-shm', 'r');
    if (readSync(shm, header, 0, 136, 0) < 136) return 0;
  } catch {
    shm = undefined;
    return 0;
  }
  const u32 = (offset) => littleEndian ? header.readUInt32LE(offset) : header.readUInt32BE(offset);
  return u32(16) - u32(96);
};
let checkpoints = 0;
let timer;
const tick = () => {
  if (pending() >= workerData.thresholdFrames) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
      checkpoints += 1;
      parentPort.postMessage({ checkpoints });
    } catch {
      // Another connection was checkpointing: the next look will see what is left.
    }
  }
  timer = setTimeout(tick, workerData.pollMs);
};
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  if (shm !== undefined) closeSync(shm);
  db.close();
  parentPort.close();
});
tick();
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Copies the WAL into the database file from a thread of its own. SQLite otherwise checkpoints inside the commit
 * that crosses its threshold: one send in some sixty then waits several milliseconds (copying a thousand pages and
 * two fsyncs) on the event loop's thread. Here the copy runs beside the writer, which keeps its own automatic
 * checkpoint at a higher threshold as a bound on the WAL should this thread fall behind or stop.
 */
export const startBackgroundCheckpointer = (options: CheckpointerOptions): BackgroundCheckpointer => {
  let checkpoints = 0;
  const worker = new Worker(WORKER_PROGRAM, {
    eval: true,
    workerData: {
      driver,
      filename: options.filename,
      thresholdFrames: options.thresholdFrames,
      pollMs: options.pollMs,
    },
  });
  worker.on('message', (message: { checkpoints: number }) => {
    checkpoints = message.checkpoints;
  });
  worker.on('error', () => {});
  // It must not keep a process alive that forgot to close its storage (unreferenced after the listeners, which
  // reference the thread's port again), nor take it down if it fails: the writer's own checkpoints remain.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    checkpoints: () => checkpoints,
    stop: async () => {
      // Referenced again, so that the process waits for the thread to close its connection.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
};
