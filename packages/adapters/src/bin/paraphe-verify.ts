#!/usr/bin/env node
/** `paraphe-verify <signed.pdf> [--certificate certificate.pdf] [--timeline timeline.json] [--json] [--lang fr|en]` */
import { runVerifyCli } from '../pdf/verification/verify-cli.js';

process.exitCode = await runVerifyCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
