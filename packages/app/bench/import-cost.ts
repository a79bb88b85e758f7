/**
 * What a CRM pays to load Paraphe: modules loaded and resident set size after importing `@paraphe/app` (its built
 * `dist`, as installed) and creating Paraphe, for memory + SQLite and for PostgreSQL + SMTP + Twilio, each in a fresh
 * Node process (import-probe.mjs), beside the figures from before the per-backend entry points. The built packages
 * bundle Kysely, inversify, libphonenumber-js and date-fns (build-package.mjs): they count among Paraphe's modules.
 * Run: pnpm --filter @paraphe/app bench:import-cost   (it builds the three packages first; RUNS=5 to change the count)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Probe {
  readonly configuration: string;
  readonly created: string;
  readonly rssStartMb: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly rssWithPdfMb: number;
  readonly modules?: number;
  readonly modulesWithPdf?: number;
  readonly packages?: Readonly<Record<string, number>>;
}

const RUNS = Number(process.env.RUNS ?? 5);
const here = new URL('.', import.meta.url).pathname;
const DRIVERS = ['pg', 'nodemailer', 'hono', '@hono/node-server', 'better-sqlite3', '@cantoo/pdf-lib'];

/**
 * Before: the issue's figure (import only, measured then), and this probe on the tree before the entry points
 * (commit ea1af50, built, median of 5 runs on the same 2-core machine): every driver loaded whatever the configuration.
 */
const BEFORE = {
  issue: { modules: 1278, rssMb: 186 },
  sqlite: { modules: 1358, rssMb: 126.4, rssStartMb: 42, heapUsedMb: 27.8 },
  'postgres-smtp-twilio': { modules: 1355, rssMb: 122.8, rssStartMb: 42, heapUsedMb: 27.6 },
} as const;

const probe = (configuration: string, countModules: boolean): Probe => {
  const directory = mkdtempSync(join(tmpdir(), 'paraphe-import-cost-'));
  try {
    const modules = countModules ? ['--modules', join(directory, 'log')] : [];
    const args = ['--expose-gc', 'import-probe.mjs', configuration, ...modules];
    const out = execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Probe;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
};

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const mb = (value: number) => `${value.toFixed(1)} MB`;
const WIDTHS = [46, 8, 10, 10, 10] as const;
const row = (cells: ReadonlyArray<string>) =>
  console.log(
    cells.map((cell, i) => (i === 0 ? cell.padEnd(WIDTHS[0]) : cell.padStart(WIDTHS[i] ?? 0))).join('  '),
  );

console.log(
  `Node ${process.version}, ${RUNS} runs per configuration (median); modules from one run with loader hooks; ` +
    'live heap: heapUsed after a GC. PostgreSQL is named on a port nothing listens on: createParaphe answers ' +
    'STORAGE_FAILURE after loading everything.\n',
);
row(['configuration', 'modules', 'RSS', 'increase', 'live heap', 'drivers loaded']);
row(['before: import only (issue #14)', '1,278', mb(BEFORE.issue.rssMb), '', '', 'all']);
const results: Record<string, { rss: number; start: number; probe: Probe }> = {};
for (const configuration of ['sqlite', 'postgres-smtp-twilio'] as const) {
  const before = BEFORE[configuration];
  const name = configuration === 'sqlite' ? 'memory + SQLite' : 'PostgreSQL + SMTP + Twilio';
  row([
    `before: ${name} (ea1af50)`,
    before.modules.toLocaleString('en'),
    mb(before.rssMb),
    `+${mb(before.rssMb - before.rssStartMb)}`,
    mb(before.heapUsedMb),
    'all',
  ]);
  const runs = Array.from({ length: RUNS }, () => probe(configuration, false));
  const counted = probe(configuration, true);
  const rss = median(runs.map((r) => r.rssMb));
  const rssPdf = median(runs.map((r) => r.rssWithPdfMb));
  const start = median(runs.map((r) => r.rssStartMb));
  const heap = median(runs.map((r) => r.heapUsedMb));
  results[configuration] = { rss, start, probe: counted };
  const loaded = DRIVERS.filter((d) => (counted.packages?.[d] ?? 0) > 0);
  row([
    `now: ${name}${counted.created === 'ok' ? '' : ' (no server)'}`,
    (counted.modules ?? 0).toLocaleString('en'),
    mb(rss),
    `+${mb(rss - start)}`,
    mb(heap),
    loaded.join(', ') || 'none',
  ]);
  row([
    '  + the first send (PDF entry point)',
    (counted.modulesWithPdf ?? 0).toLocaleString('en'),
    mb(rssPdf),
    `+${mb(rssPdf - start)}`,
    '',
    [...loaded, '@cantoo/pdf-lib'].join(', '),
  ]);
}

const sqlite = results.sqlite;
if (sqlite !== undefined) {
  const increase = sqlite.rss - sqlite.start;
  const before = BEFORE.sqlite.rssMb - BEFORE.sqlite.rssStartMb;
  const beforeIssue = BEFORE.issue.rssMb - sqlite.start;
  const forbidden = ['pg', 'nodemailer', 'hono', '@hono/node-server'].filter(
    (d) => (sqlite.probe.packages?.[d] ?? 0) > 0,
  );
  console.log(
    `\nmemory + SQLite loads ${forbidden.length === 0 ? 'no pg, nodemailer or hono module' : forbidden.join(', ')}; ` +
      `its RSS increase is ${Math.round((100 * increase) / before)} % of before's (+${mb(before)}, same probe), ` +
      `${Math.round((100 * increase) / beforeIssue)} % of the issue's (+${mb(beforeIssue)}); target ≤ 40 %`,
  );
  const packages = Object.entries(sqlite.probe.packages ?? {}).sort(([, a], [, b]) => b - a);
  console.log(`modules by package (memory + SQLite): ${packages.map(([n, c]) => `${n} ${c}`).join(', ')}`);
}
