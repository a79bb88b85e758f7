// One measurement of import-cost.ts, in a Node process of its own: import `@paraphe/app` as a CRM installed it (its
// built `dist`), create Paraphe with one configuration, and print one JSON line: the resident set size before and
// after, and, with `--modules <log>`, every module file loaded (ES modules through loader hooks that append to
// <log>, CommonJS ones from require.cache). Then the PDF entry point is imported, as the first send does.
//
//   node [--expose-gc] import-probe.mjs sqlite|postgres-smtp-twilio [--modules <log>]
//
// Plain JavaScript, so that it runs as is in a project that installed the packed packages (the consumer test).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [configurationName, flag, log] = process.argv.slice(2);
const counting = flag === '--modules' && log !== undefined;
if (counting) register('./import-probe-hooks.mjs', import.meta.url, { data: { log } });

const rssStart = process.memoryUsage().rss;
const directory = mkdtempSync(join(tmpdir(), 'paraphe-import-cost-'));
const common = {
  signingBaseUrl: 'https://crm.example.com/sign/',
  secretKey: 'import-cost-probe-secret-key-of-32-characters',
};
const configurations = {
  sqlite: {
    ...common,
    storage: { kind: 'sqlite', filename: join(directory, 'paraphe.db') },
    mail: { kind: 'memory' },
    sms: { kind: 'memory' },
  },
  // Nothing listens on port 1: the storage fails to connect at the start check, after every module is loaded. The
  // figure is what importing costs, not a connection, and no database is touched.
  'postgres-smtp-twilio': {
    ...common,
    storage: {
      kind: 'postgres',
      connectionString: 'postgresql://paraphe@127.0.0.1:1/paraphe',
      connectTimeoutMs: 2000,
    },
    mail: {
      kind: 'smtp',
      host: '127.0.0.1',
      port: 1,
      from: 'sign@crm.example',
      messageIdDomain: 'crm.example',
    },
    sms: {
      kind: 'twilio',
      baseUrl: 'http://127.0.0.1:1',
      accountSid: 'AC0123456789',
      authToken: 'probe-auth-token',
      from: '+33600000000',
    },
  },
};
const config = configurations[configurationName];
if (config === undefined) throw new Error(`Unknown configuration ${configurationName}`);

const loadedModules = () => {
  const files = new Set();
  if (counting) {
    for (const url of readFileSync(log, 'utf8').split('\n')) if (url !== '') files.add(fileURLToPath(url));
  }
  for (const file of Object.keys(createRequire(import.meta.url).cache)) files.add(file);
  return [...files];
};

/** Modules per package: the last `node_modules/<name>` of the path; Paraphe's own, in this workspace, by folder. */
const byPackage = (files) => {
  const counts = {};
  for (const file of files) {
    const name =
      /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ??
      /\/packages\/([^/]+)\//.exec(file)?.[1]?.replace(/^/, '@paraphe/') ??
      '(other)';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
};

const app = await import('@paraphe/app');
const created = await app.createParapheAsync({
  crm: { getQuote: async () => null, getUser: async () => null, createFollowUpAction: async () => undefined },
  config,
});
const rssCreated = process.memoryUsage().rss;
// What the heap holds once garbage is collected (with --expose-gc): the live part of the RSS above, which also counts
// heap space V8 grew while loading and keeps.
globalThis.gc?.();
const heapCreated = process.memoryUsage().heapUsed;
const modulesCreated = loadedModules();
if (created.ok) await created.value.close();

// What the first send adds: the PDF entry point, imported by the sealer the first time a document is read.
await import('@paraphe/adapters/pdf');
const rssPdf = process.memoryUsage().rss;
const modulesPdf = loadedModules();
rmSync(directory, { recursive: true, force: true });

const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    configuration: configurationName,
    created: created.ok ? 'ok' : created.error.code,
    rssStartMb: mb(rssStart),
    rssMb: mb(rssCreated),
    heapUsedMb: mb(heapCreated),
    rssWithPdfMb: mb(rssPdf),
    ...(counting
      ? {
          modules: modulesCreated.length,
          modulesWithPdf: modulesPdf.length,
          packages: byPackage(modulesCreated),
        }
      : {}),
  })}\n`,
);
