/** Waits `ms` milliseconds; injected so that tests do not really wait. */
export type Sleep = (ms: number) => Promise<void>;

/** The production `Sleep`. */
export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });

/** A `Sleep` that returns at once and records what it was asked to wait, for tests. */
export const recordingSleep = (): { readonly sleep: Sleep; readonly waits: ReadonlyArray<number> } => {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
};
