// Certificate of signature benchmark: rendering and sealing one certificate, for an ordinary procedure and a long
// one, in the tenant's language alone and with a second language, beside the seal of a one-page quote measured in
// the same run (the ratio holds when other processes load the machine; the absolute figures do not).
// Run: cd /work/main && npx tsx --conditions=@paraphe/source packages/adapters/bench/pdf/certificate.bench.ts
import {
  type AuditEventType,
  appendToChain,
  type CertificateData,
  type Language,
  sha256Hex,
} from '@paraphe/domain';
import { makePdfCertificateRenderer } from '../../src/pdf/certificate-renderer.js';
import { generateDevelopmentSigningIdentity } from '../../src/pdf/development-identity.js';
import { makePadesDocumentSealer } from '../../src/pdf/pades-document-sealer.js';
import { onePagePdf } from '../../src/pdf/test-support/corpus.js';
import { sealRequestFor } from '../../src/pdf/test-support/seal-request.js';
import { interleaved } from './interleaved.js';

const WARMUP = 10;
const BLOCK = 5;
const ROUNDS = Number(process.env.ROUNDS ?? 8);

/** A signed procedure's certificate data with a real chain of `reminders + 8` events. */
export const benchCertificateData = (language: Language, reminders: number): CertificateData => {
  const start = Date.parse('2026-03-02T09:00:00Z');
  const types: AuditEventType[] = [
    'procedure_created',
    'invitation_sent',
    ...Array.from({ length: reminders }, () => 'reminder_sent' as const),
    'opened',
    'code_sent',
    'code_rejected',
    'code_sent',
    'code_verified',
    'signed',
  ];
  const events = appendToChain(
    [],
    types.map((type, i) => ({
      type,
      at: new Date(start + i * 60_000),
      actor: i < 2 ? ('system' as const) : ('signer' as const),
      ...(i < 2 ? {} : { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0' }),
      data: { n: i },
    })),
  );
  const signed = events[events.length - 1]!;
  return {
    language,
    timeZone: 'Europe/Paris',
    procedureId: 'proc_bench',
    quoteNumber: 'D-2026-0042',
    tenantName: 'Acme',
    sender: { name: 'Bob Leroy', email: 'bob@acme.example' },
    signer: { name: 'Claire Martin', email: 'claire.martin@example.fr', maskedMobile: '+336••••••78' },
    document: { name: 'Devis D-2026-0042.pdf', pageCount: 2 },
    originalSha256: sha256Hex('original'),
    signedSha256: sha256Hex('signed'),
    identityCheck: {
      method: 'sms-code',
      maskedMobile: '+336••••••78',
      codesSentAt: [events[3]!.at, events[5]!.at],
      verifiedAt: events[events.length - 2]!.at,
      wrongAttempts: 1,
    },
    consentText: "J'ai lu et j'accepte le devis D-2026-0042 et je le signe électroniquement.",
    signedAt: signed.at,
    events,
    auditChainHead: signed.hash,
  };
};

const main = async () => {
  const identity = await generateDevelopmentSigningIdentity();
  const sealer = makePadesDocumentSealer({ identity });
  const single = makePdfCertificateRenderer({ identity, platformName: 'Paraphe' });
  const bilingual = makePdfCertificateRenderer({ identity, platformName: 'Paraphe', secondLanguage: 'en' });
  const quote = await onePagePdf();
  const ordinary = benchCertificateData('fr', 0);
  const long = benchCertificateData('fr', 200);
  const must = async (task: () => Promise<{ _tag: string }>) => {
    if ((await task())._tag !== 'Right') throw new Error('failed');
  };
  const results = await interleaved(
    {
      'seal, one-page quote': () => must(sealer.seal(sealRequestFor(quote))),
      'certificate, 8 events': () => must(single.render(ordinary)),
      'certificate, 8 events, fr+en': () => must(bilingual.render(ordinary)),
      'certificate, 208 events': () => must(single.render(long)),
      'certificate, 208 events, fr+en': () => must(bilingual.render(long)),
    },
    { warmup: WARMUP, block: BLOCK, rounds: ROUNDS },
  );
  const base = results['seal, one-page quote'];
  console.log(
    `medians of ${ROUNDS * BLOCK} runs each, alternating; wall ms (CPU ms), and CPU as a multiple of the seal`,
  );
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(32)} ${r.wall.toFixed(2).padStart(7)} (${r.cpu.toFixed(2)})  ${(r.cpu / base.cpu).toFixed(2)}×`,
    );
  }
};

if (import.meta.url === `file://${process.argv[1]}`) await main();
