// Module loader hooks of import-probe.mjs (they run on the loader's own thread): each ES module or CommonJS entry
// loaded through `import` is appended, as a file: URL, to the file the probe named.
import { appendFileSync } from 'node:fs';

let log;

export const initialize = (data) => {
  log = data.log;
};

export const load = async (url, context, nextLoad) => {
  if (url.startsWith('file:')) appendFileSync(log, `${url}\n`);
  return nextLoad(url, context);
};
