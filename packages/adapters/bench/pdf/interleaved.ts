// Timing shared by the PDF benchmarks: contenders measured in one run, so their ratio means something on a
// shared machine even when the absolute figures do not.

export interface Timing {
  /** Median wall-clock milliseconds. */
  readonly wall: number;
  /** Median process CPU milliseconds (user + system), which suffers less when other processes compete. */
  readonly cpu: number;
}

export interface InterleaveOptions {
  readonly warmup: number;
  /** Runs of one contender in a row. */
  readonly block: number;
  readonly rounds: number;
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Runs the contenders in alternating blocks (their order rotating each round), so a period of load from
 * other processes on the shared machine hits all of them alike and their ratio stays meaningful. Blocks
 * rather than single runs: run by run, the baseline's garbage and cache pollution would be billed to the
 * next contender.
 */
export const interleaved = async <K extends string>(
  contenders: Record<K, () => Promise<unknown>>,
  { warmup, block, rounds }: InterleaveOptions,
): Promise<Record<K, Timing>> => {
  const names = Object.keys(contenders) as K[];
  for (const name of names) for (let i = 0; i < warmup; i++) await contenders[name]();
  const samples = new Map<K, { wall: number[]; cpu: number[] }>(names.map((n) => [n, { wall: [], cpu: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      for (let i = 0; i < block; i++) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await contenders[name]();
        const wall = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        samples.get(name)!.wall.push(wall);
        samples.get(name)!.cpu.push((cpu.user + cpu.system) / 1000);
      }
    }
  }
  return Object.fromEntries(
    names.map((n) => [n, { wall: median(samples.get(n)!.wall), cpu: median(samples.get(n)!.cpu) }]),
  ) as Record<K, Timing>;
};
