// Builds the JavaScript of one package (run in its folder, after `tsc` has written the declarations): one ES module
// per entry point of its package.json (`exports` and `bin`), with the code they share in `dist/chunks`.
//
// Each entry point is bundled with Paraphe's own modules and the libraries its package.json lists under
// `inlinedDependencies` (implementation details: the SQL builder, the container, the phone-number metadata, date
// arithmetic); `dependencies` and `peerDependencies` stay imports. Node keeps a few tens of kilobytes per module it
// loads: kysely's 263 files and inversify's 250 cost about 25 MB of resident memory at the start of every process
// that loads them, as single chunks about 3 MB (import-cost bench). The bundled libraries' versions and licences are
// written to dist/THIRD-PARTY-LICENSES.md.
//
//   node ../../build-package.mjs
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const inlined = new Set(pkg.inlinedDependencies ?? []);
for (const name of inlined) {
  if (pkg.devDependencies?.[name] === undefined)
    throw new Error(
      `${pkg.name}: inlined ${name} must be a devDependency (it is installed to build, not by users)`,
    );
}
const kept = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];

/** `./dist/x.js` (what Node loads) from `./src/x.ts` (its source): the packages keep one layout. */
const sourceOf = (distPath) => distPath.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts');
const targets = [
  ...Object.values(pkg.exports)
    .filter((target) => typeof target === 'object')
    .map((target) => target.default),
  ...Object.values(pkg.bin ?? {}),
];
const entryPoints = Object.fromEntries(
  targets.map((distPath) => [distPath.replace(/^\.\/dist\//, '').replace(/\.js$/, ''), sourceOf(distPath)]),
);

// Declarations stay (tsc wrote them); every earlier build's JavaScript and source maps go.
const removeJavaScript = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeJavaScript(path);
    else if (/\.js(\.map)?$/.test(entry.name)) rmSync(path);
  }
};
removeJavaScript('dist');

const { metafile } = await build({
  entryPoints,
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  external: kept.flatMap((name) => [name, `${name}/*`]),
  // Names stay as written: stack traces and `constructor.name` read as in the sources; with `--enable-source-maps`,
  // a stack trace names the source file and line (the maps carry the sources: the package does not ship `src`).
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: true,
  metafile: true,
  logLevel: 'warning',
});

/** The package a bundled file belongs to: its folder (to the last `node_modules/<name>` of the path), its name. */
const packageDirOf = (path) => /(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
const packageOf = (path) => packageDirOf(path)?.replace(/.*node_modules\//, '');

// Paraphe's sources may bundle only what the package declares inlined; a library imported by mistake (a test helper)
// fails the build instead of being shipped.
for (const [input, { imports }] of Object.entries(metafile.inputs)) {
  if (packageOf(input) !== undefined) continue;
  for (const imported of imports) {
    const name = imported.external ? undefined : packageOf(imported.path);
    if (name !== undefined && !inlined.has(name))
      throw new Error(
        `${pkg.name}: ${input} imports ${imported.original ?? name}, neither a dependency nor inlined`,
      );
  }
}

const bundled = new Map();
for (const input of Object.keys(metafile.inputs)) {
  const dir = packageDirOf(input);
  if (dir !== undefined) bundled.set(packageOf(input), dir);
}
for (const name of inlined)
  if (!bundled.has(name)) throw new Error(`${pkg.name}: ${name} is declared inlined but nothing imports it`);

const notices = [...bundled.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, dir]) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)/i.test(file));
    const text =
      licenceFile === undefined ? '(no licence file)' : readFileSync(join(dir, licenceFile), 'utf8');
    return `## ${name} ${manifest.version}\n\nLicence: ${manifest.license ?? 'see below'}\n\n\`\`\`\n${text.trim()}\n\`\`\`\n`;
  });
writeFileSync(
  'dist/THIRD-PARTY-LICENSES.md',
  `# Libraries bundled in ${pkg.name}\n\n` +
    'Their code is part of this package\'s JavaScript (see "Bundled libraries" in its README); they are not ' +
    `installed as dependencies.\n\n${notices.join('\n') || 'None.\n'}`,
);
console.log(
  `${pkg.name}: ${Object.keys(entryPoints).length} entry points, ${
    Object.keys(metafile.outputs).filter((file) => file.endsWith('.js')).length
  } files in dist; bundled: ${[...bundled.keys()].join(', ') || 'nothing'}`,
);
