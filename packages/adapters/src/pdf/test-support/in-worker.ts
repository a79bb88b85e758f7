import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');

// The worker loads the TypeScript module through tsx, with the workspace's source condition so that
// @paraphe/domain resolves to its sources as under Vitest.
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const module_ = require(workerData.tsx).require(workerData.module, workerData.module);
parentPort.on('message', async ({ id, name, args }) => {
  try {
    parentPort.postMessage({ id, value: await module_[name](...args) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack || error) });
  }
});`;

export interface InWorker<M> {
  /** Calls an export of the module in the worker; rejects after timeoutMs, ending the worker (the next call starts another). */
  readonly call: <K extends keyof M>(
    name: K,
    args: M[K] extends (...a: infer A) => unknown ? A : never,
    timeoutMs: number,
  ) => Promise<M[K] extends (...a: never[]) => infer R ? Awaited<R> : never>;
  readonly close: () => Promise<void>;
}

/**
 * Runs the exports of a TypeScript module in a worker thread, so that code that never ends (a parser
 * looping on some input) fails a test on a timeout instead of freezing the test run.
 */
export const inWorker = <M>(modulePath: string): InWorker<M> => {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, (reply: { value?: unknown; error?: string }) => void>();
  const start = (): Worker => {
    const w = new Worker(SCRIPT, {
      eval: true,
      workerData: { tsx, module: modulePath },
      execArgv: ['--conditions=@paraphe/source'],
    });
    w.on('message', (reply: { id: number; value?: unknown; error?: string }) => {
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
    w.on('error', (error) => {
      for (const settle of pending.values()) settle({ error: String(error) });
      pending.clear();
      worker = undefined;
    });
    return w;
  };
  const call: InWorker<M>['call'] = (name, args, timeoutMs) =>
    new Promise((resolve, reject) => {
      worker ??= start();
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        for (const settle of pending.values()) settle({ error: 'the worker was ended by a timeout' });
        pending.clear();
        void worker?.terminate();
        worker = undefined;
        reject(new Error(`${String(name)} did not end within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.error !== undefined) reject(new Error(reply.error));
        else resolve(reply.value as never);
      });
      worker.postMessage({ id, name, args });
    });
  const close = async () => {
    await worker?.terminate();
    worker = undefined;
  };
  return { call, close };
};
