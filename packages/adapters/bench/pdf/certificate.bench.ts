// Certificate of signature benchmark: rendering and sealing one certificate, for an ordinary procedure, a long one
// and one with 3 signers, in the tenant's language alone and with a second language, beside the seal of a one-page quote measured in
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

const NAMES = ['Claire Martin', 'Paul Girard', 'Bob Leroy', 'Inès Haddad', 'Lucas Fontaine'];

/**
 * A signed procedure's certificate data with a real chain: created, then per signer `reminders + 7` events (the
 * first signer's reminders only), each signer's carrying their number when there are several.
 */
export const benchCertificateData = (language: Language, reminders: number, count = 1): CertificateData => {
  const start = Date.parse('2026-03-02T09:00:00Z');
  const step = (k: number): AuditEventType[] => [
    'invitation_sent',
    ...Array.from({ length: k === 0 ? reminders : 0 }, () => 'reminder_sent' as const),
    'opened',
    'code_sent',
    'code_rejected',
    'code_sent',
    'code_verified',
    'signed',
  ];
  const typed = [
    { type: 'procedure_created' as AuditEventType, k: -1 },
    ...Array.from({ length: count }, (_, k) => step(k).map((type) => ({ type, k }))).flat(),
  ];
  const events = appendToChain(
    [],
    typed.map(({ type, k }, i) => ({
      type,
      at: new Date(start + i * 60_000),
      actor: i < 2 ? ('system' as const) : ('signer' as const),
      ...(i < 2 ? {} : { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0' }),
      data: count > 1 && k >= 0 ? { n: i, signer: k + 1 } : { n: i },
    })),
  );
  const signed = events[events.length - 1]!;
  const at = (k: number, type: AuditEventType) =>
    events.filter((e) => e.type === type && (count === 1 || e.data.signer === k + 1)).map((e) => e.at);
  return {
    language,
    timeZone: 'Europe/Paris',
    procedureId: 'proc_bench',
    quoteNumber: 'D-2026-0042',
    tenantName: 'Acme',
    sender: { name: 'Bob Leroy', email: 'bob@acme.example' },
    document: { name: 'Devis D-2026-0042.pdf', pageCount: 2 },
    originalSha256: sha256Hex('original'),
    signedSha256: sha256Hex('signed'),
    signers: Array.from({ length: count }, (_, k) => ({
      name: NAMES[k % NAMES.length]!,
      email: `signer${k + 1}@example.fr`,
      maskedMobile: '+336••••••78',
      role: count > 1 && k === count - 1 ? ('countersigner' as const) : ('contact' as const),
      identityCheck: {
        method: 'sms-code' as const,
        maskedMobile: '+336••••••78',
        codesSentAt: at(k, 'code_sent'),
        verifiedAt: at(k, 'code_verified')[0]!,
        wrongAttempts: 1,
      },
      consentText: "J'ai lu et j'accepte le devis D-2026-0042 et je le signe électroniquement.",
      signedAt: at(k, 'signed')[0]!,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0',
    })),
    signingOrder: 'sequential',
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
  const three = benchCertificateData('fr', 0, 3);
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
      'certificate, 22 events, 3 signers': () => must(single.render(three)),
      'certificate, 3 signers, fr+en': () => must(bilingual.render(three)),
    },
    { warmup: WARMUP, block: BLOCK, rounds: ROUNDS },
  );
  const base = results['seal, one-page quote'];
  console.log(
    `medians of ${ROUNDS * BLOCK} runs each, alternating; wall ms (CPU ms), and CPU as a multiple of the seal`,
  );
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(34)} ${r.wall.toFixed(2).padStart(7)} (${r.cpu.toFixed(2)})  ${(r.cpu / base.cpu).toFixed(2)}×`,
    );
  }
};

if (import.meta.url === `file://${process.argv[1]}`) await main();
