import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { domainError, EVIDENCE_LIMITS } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '../load-pdf.js';
import { type ReportLanguage, reportText } from './report-text.js';
import { decodeTimelineFile, type TimelineFile } from './timeline-file.js';
import { checksOf } from './verification-checks.js';
import { type EvidenceVerification, verifyEvidence } from './verify-evidence.js';

/** The sealer refuses documents over the default maximum; sealing, validation data and timestamps add far less than 4 MB. */
export const MAX_PDF_BYTES = DEFAULT_MAX_DOCUMENT_BYTES + 4 * 1024 * 1024;
/** The evidence codec's bound in characters; UTF-8 needs at most 3 bytes for each. */
export const MAX_TIMELINE_BYTES = EVIDENCE_LIMITS.fileLength * 3;

export const EXIT = { valid: 0, invalid: 1, usage: 2 } as const;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const MESSAGES = {
  usage: {
    fr: 'Usage : paraphe-verify <signé.pdf> [--certificate certificat.pdf] [--timeline chronologie.json] [--json] [--lang fr|en]',
    en: 'Usage: paraphe-verify <signed.pdf> [--certificate certificate.pdf] [--timeline timeline.json] [--json] [--lang fr|en]',
  },
  oneDocument: { fr: 'Donnez un seul PDF signé.', en: 'Give exactly one signed PDF.' },
  badLang: { fr: '--lang vaut fr ou en.', en: '--lang is fr or en.' },
  timelineNeedsCertificate: {
    fr: '--timeline demande --certificate : la tête de chaîne vérifiée est celle du certificat.',
    en: '--timeline needs --certificate: the chain head it is checked against is the certificate’s.',
  },
  missing: { fr: 'Fichier illisible ou absent', en: 'File missing or unreadable' },
  tooLarge: { fr: 'Fichier refusé, trop volumineux', en: 'File refused, too large' },
  timeline: { fr: 'Chronologie illisible', en: 'Unreadable timeline' },
} as const;

type Refusal = { readonly refused: string };

const languageFrom = (env: Readonly<Record<string, string | undefined>>): ReportLanguage => {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
};

/** Reads a file whole, refusing it from its size before reading anything: a huge file costs nothing. */
const readBounded = async (
  path: string,
  maxBytes: number,
  lang: ReportLanguage,
): Promise<Uint8Array | Refusal> => {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size, isFile } = await handle.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (!isFile) return { refused: `${MESSAGES.missing[lang]}: ${path}` };
    if (size > maxBytes) {
      const error = domainError('DOCUMENT_TOO_LARGE', { size, max: maxBytes });
      return {
        refused: `${MESSAGES.tooLarge[lang]}: ${path} (${size} > ${maxBytes}) — ${error.message[lang]}`,
      };
    }
    const bytes = new Uint8Array(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return bytes.subarray(0, bytesRead);
  } catch {
    return { refused: `${MESSAGES.missing[lang]}: ${path}` };
  } finally {
    await handle?.close();
  }
};

const isRefusal = (value: Uint8Array | Refusal): value is Refusal => !(value instanceof Uint8Array);

const jsonReport = (
  report: EvidenceVerification,
  files: Readonly<Record<string, string>>,
): Record<string, unknown> => {
  const checks = checksOf(report);
  const certificate = report.certificate;
  return {
    format: 'paraphe-verify/1',
    valid: report.valid && checks.every((c) => c.ok),
    files,
    checks,
    document: report.document,
    ...(certificate === undefined
      ? {}
      : {
          certificate: {
            ...certificate,
            // The events are in the certificate already; the summary says what was checked.
            evidence: certificate.evidence.found
              ? {
                  found: true,
                  name: certificate.evidence.name,
                  procedureId: certificate.evidence.evidence.procedureId,
                  quoteNumber: certificate.evidence.evidence.quoteNumber,
                  document: certificate.evidence.evidence.document,
                  signatureLevel: certificate.evidence.evidence.signatureLevel,
                  chain: certificate.evidence.evidence.chain,
                  events: certificate.evidence.evidence.events.length,
                }
              : certificate.evidence,
          },
        }),
  };
};

/**
 * `paraphe-verify`: exit 0 when every check holds, 1 when one does not, 2 on bad usage (unknown option, missing or
 * oversized file, unreadable timeline). Takes argv without the node and script paths; a leading `--` is ignored.
 */
export const runVerifyCli = async (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> => {
  let lang = languageFrom(env);
  const usage = (message?: string): number => {
    io.err(`${message === undefined ? '' : `${message}\n`}${MESSAGES.usage[lang]}\n`);
    return EXIT.usage;
  };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv[0] === '--' ? argv.slice(1) : argv);
  } catch (e) {
    return usage(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.lang !== undefined) {
    if (values.lang !== 'fr' && values.lang !== 'en') return usage(MESSAGES.badLang[lang]);
    lang = values.lang;
  }
  if (positionals.length !== 1) return usage(MESSAGES.oneDocument[lang]);
  const documentPath = positionals[0] as string;
  if (values.timeline !== undefined && values.certificate === undefined)
    return usage(MESSAGES.timelineNeedsCertificate[lang]);

  const document = await readBounded(documentPath, MAX_PDF_BYTES, lang);
  if (isRefusal(document)) return usage(document.refused);
  const certificate =
    values.certificate === undefined ? undefined : await readBounded(values.certificate, MAX_PDF_BYTES, lang);
  if (certificate !== undefined && isRefusal(certificate)) return usage(certificate.refused);
  let timeline: TimelineFile | undefined;
  if (values.timeline !== undefined) {
    const bytes = await readBounded(values.timeline, MAX_TIMELINE_BYTES, lang);
    if (isRefusal(bytes)) return usage(bytes.refused);
    const decoded = decodeTimelineFile(Buffer.from(bytes).toString('utf8'));
    if (E.isLeft(decoded))
      return usage(`${MESSAGES.timeline[lang]}: ${values.timeline} — ${decoded.left.message[lang]}`);
    timeline = decoded.right;
  }

  const report = await verifyEvidence({
    document,
    ...(certificate === undefined ? {} : { certificate }),
    ...(timeline === undefined ? {} : { timeline }),
  });
  const checks = checksOf(report);
  const valid = report.valid && checks.every((c) => c.ok);
  if (values.json === true) {
    const files = {
      document: documentPath,
      ...(values.certificate === undefined ? {} : { certificate: values.certificate }),
      ...(values.timeline === undefined ? {} : { timeline: values.timeline }),
    };
    io.out(`${JSON.stringify(jsonReport(report, files), null, 2)}\n`);
  } else {
    io.out(
      reportText(
        report,
        checks,
        {
          document: basename(documentPath),
          ...(values.certificate === undefined ? {} : { certificate: basename(values.certificate) }),
        },
        lang,
      ),
    );
  }
  return valid ? EXIT.valid : EXIT.invalid;
};

const parse = (args: ReadonlyArray<string>) =>
  parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      certificate: { type: 'string' },
      timeline: { type: 'string' },
      json: { type: 'boolean' },
      lang: { type: 'string' },
    },
  });
