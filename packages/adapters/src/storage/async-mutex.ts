/**
 * Runs tasks one at a time in call order. Units of work on one in-process store (or one SQLite connection)
 * are asynchronous, so without this two of them would interleave their reads and writes.
 */
export const makeAsyncMutex = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return <A>(task: () => Promise<A>): Promise<A> => {
    const run = tail.then(task, task);
    // The next task waits for this one to settle, whether it succeeded or not.
    tail = run.catch(() => undefined);
    return run;
  };
};

export type AsyncMutex = ReturnType<typeof makeAsyncMutex>;
