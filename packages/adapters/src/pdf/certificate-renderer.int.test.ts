import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEventDraft, AuditEventType, CertificateData, Language } from '@paraphe/domain';
import { appendToChain, decodeEvidenceFile, sha256Hex, verifyEvidenceChain } from '@paraphe/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateLabels } from './certificate-labels.js';
import { EVIDENCE_FILE_NAME, makePdfCertificateRenderer } from './certificate-renderer.js';
import {
  type DevelopmentSigningIdentity,
  generateDevelopmentSigningIdentity,
} from './development-identity.js';
import { PRINT_LIMITS } from './print-limits.js';
import { loadSigningIdentity } from './signing-identity-loader.js';
import { artifactsDir } from './test-support/corpus.js';
import {
  nssDatabaseTrusting,
  pageCountByPoppler,
  pdfsig,
  pdftoppm,
  pdftotext,
  tempDir,
  writeTemp,
} from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

const START = Date.parse('2025-03-12T12:00:00Z');
const USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/17.4';

const draft = (type: AuditEventType, i: number): AuditEventDraft => ({
  type,
  at: new Date(START + i * 47_000),
  actor: type === 'procedure_created' ? 'sender' : i % 3 === 0 ? 'system' : 'signer',
  ...(i % 3 === 0 ? {} : { ip: `203.0.113.${i % 250}`, userAgent: USER_AGENT }),
  data: { n: i },
});

const NAMES = [
  'Zoé Lefèvre-Łukasz 山田',
  'Marc Dubois',
  'Ana Ribeiro',
  'Jean-Baptiste Moreau-Delacroix',
  'Li Wei',
  'Sophie Martin',
  'Olivier Bernard',
  'Camille Petit',
  'Nicolas Durand',
  'Hélène Dupré',
];

/**
 * A real chain: created, then for each signer invited, `reminders` reminders (the first signer's), opened, codes,
 * verified, signed. With several signers, each signer's events carry their number, as the domain writes them.
 */
const chainWith = (reminders: number, signers = 1) => {
  const step = (signer: number): ReadonlyArray<AuditEventType> => [
    'invitation_sent',
    ...Array.from({ length: signer === 0 ? reminders : 0 }, () => 'reminder_sent' as const),
    'opened',
    'code_sent',
    'code_rejected',
    'code_sent',
    'code_verified',
    'signed',
  ];
  const typed = [
    { type: 'procedure_created' as AuditEventType, signer: 0 },
    ...Array.from({ length: signers }, (_, k) => step(k).map((type) => ({ type, signer: k }))).flat(),
  ];
  return appendToChain(
    [],
    typed.map(({ type, signer }, i) => {
      const d = draft(type, i);
      return signers === 1 || type === 'procedure_created'
        ? d
        : { ...d, data: { ...d.data, signer: signer + 1 } };
    }),
  );
};

const certificateData = (language: Language, reminders: number, count = 1): CertificateData => {
  const events = chainWith(reminders, count);
  const signed = events[events.length - 1]!;
  const of = (k: number, type: AuditEventType) =>
    events.filter((e) => e.type === type && (count === 1 || e.data.signer === k + 1));
  const signers = NAMES.slice(0, count).map((name, k) => {
    const maskedMobile = `+33 6 •• •• •• ${String(10 + k)}`;
    const signedEvent = of(k, 'signed')[0]!;
    return {
      name,
      email: `signer${k + 1}@example.com`,
      maskedMobile,
      role: k === count - 1 && count > 1 ? ('countersigner' as const) : ('contact' as const),
      identityCheck: {
        method: 'sms-code' as const,
        maskedMobile,
        codesSentAt: of(k, 'code_sent').map((e) => e.at),
        verifiedAt: of(k, 'code_verified')[0]!.at,
        wrongAttempts: 1,
      },
      consentText:
        "J'ai lu et j'accepte le devis Q-2025-0042 et je le signe électroniquement — « bon pour accord ».",
      signedAt: signedEvent.at,
      // As the signing request said: the `signed` event's own, or one of the signer's network for the test.
      ip: signedEvent.ip ?? `198.51.100.${k + 1}`,
      userAgent: signedEvent.userAgent ?? USER_AGENT,
    };
  });
  return {
    language,
    timeZone: 'Europe/Paris',
    procedureId: 'proc_01HZX3K9Q2',
    quoteNumber: 'Q-2025-0042',
    tenantName: 'Société Générale des Écluses',
    sender: { name: 'Hélène Dupré', email: 'helene@example.fr' },
    document: { name: 'Devis Q-2025-0042 (révisé).pdf', pageCount: 3 },
    originalSha256: sha256Hex('original'),
    signedSha256: sha256Hex('signed'),
    signers,
    signingOrder: 'sequential',
    signedAt: signed.at,
    events,
    auditChainHead: signed.hash,
  };
};

const pdfdetach = (args: ReadonlyArray<string>): string =>
  execFileSync('pdfdetach', args, { encoding: 'utf8', stdio: 'pipe' });

/** The attached proof bundle, as `pdfdetach` extracts it. */
const attachedEvidence = (path: string): string => {
  const out = join(tempDir('paraphe-evidence-'), EVIDENCE_FILE_NAME);
  // `-savefile <name>` fails on poppler 22 ("Invalid file name"): the bundle is the only attachment.
  pdfdetach(['-save', '1', '-o', out, path]);
  return readFileSync(out, 'utf8');
};

// The running header and the seal's stamp, which pdftotext reads too: they are on every page or on the last.
const notContent =
  /Page \d+ (\/|of) \d+|^\s*Paraphe\s*$|Scellé par|Sealed by|^\s*(le|on) \d|procédure proc_|procedure proc_|Ce sceau|This seal/;

/** Lines of the certificate's own text on each page. */
const linesPerPage = (path: string, pages: number): ReadonlyArray<number> =>
  Array.from(
    { length: pages },
    (_, i) =>
      pdftotext(path, i + 1)
        .split('\n')
        .filter((line) => line.trim() !== '' && !notContent.test(line)).length,
  );

interface Case {
  readonly name: string;
  readonly language: Language;
  readonly second?: Language;
  readonly reminders: number;
  readonly signers?: number;
}

const cases: ReadonlyArray<Case> = [
  { name: 'fr', language: 'fr', reminders: 0 },
  { name: 'en', language: 'en', reminders: 0 },
  { name: 'fr-en', language: 'fr', second: 'en', reminders: 0 },
  { name: 'fr-long', language: 'fr', reminders: 60 },
  { name: 'en-long', language: 'en', reminders: 60 },
  { name: 'en-fr-long', language: 'en', second: 'fr', reminders: 60 },
  { name: 'fr-3-signers', language: 'fr', reminders: 0, signers: 3 },
  { name: 'fr-en-3-signers', language: 'fr', second: 'en', reminders: 0, signers: 3 },
];

describe.skipIf(!requireTools('pdfsig', 'pdftoppm', 'pdftotext', 'pdfinfo', 'pdfdetach', 'certutil'))(
  'certificate of signature',
  () => {
    let identity: DevelopmentSigningIdentity;
    const dir = join(artifactsDir, 'certificate');
    beforeAll(async () => {
      identity = await generateDevelopmentSigningIdentity();
      mkdirSync(dir, { recursive: true });
    });

    for (const c of cases) {
      it(`renders, seals, explains itself and carries its proof bundle (${c.name})`, async () => {
        const renderer = makePdfCertificateRenderer({
          identity,
          platformName: 'Paraphe',
          ...(c.second === undefined ? {} : { secondLanguage: c.second }),
        });
        const data = certificateData(c.language, c.reminders, c.signers);
        const result = await renderer.render(data)();
        if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
        const path = writeTemp(dir, `certificate-${c.name}.pdf`, result.right);
        const pages = pageCountByPoppler(path);
        if (c.reminders > 0) expect(pages).toBeGreaterThan(2);
        // Looked at by a person when the layout changes: .test-artifacts/certificate/certificate-<case>-<n>.png
        expect(pdftoppm(path, join(dir, `certificate-${c.name}`), 60)).toBe(pages);

        const [signature] = pdfsig(path, nssDatabaseTrusting(identity.rootCertificatePem));
        expect(signature?.validation).toMatch(/^Signature is Valid/);
        expect(signature?.totalDocumentSigned).toBe(true);
        expect(signature?.trusted).toBe(true);
        expect((await verifySignedPdf(result.right)).valid).toBe(true);

        const text = pdftotext(path).replace(/\s+/g, ' ');
        const languages = c.second === undefined ? [c.language] : [c.language, c.second];
        for (const language of languages) {
          const labels = certificateLabels(language);
          for (const event of data.events) {
            expect(text).toContain(labels.events[event.type].replace(/\s+/g, ' '));
          }
          expect(text).toContain(labels.actors.signer);
          expect(text).toContain(labels.howToCheck);
          expect(text).toContain('eIDAS');
        }
        for (const event of data.events) {
          expect(text).toContain(`${event.sequence}. ${certificateLabels(c.language).events[event.type]}`);
        }
        // Code civil articles in the French text only; no claim of an advanced or qualified signature.
        expect(text.includes('1366 et 1367 du Code civil')).toBe(languages.includes('fr'));
        expect(text).not.toMatch(/signature (électronique )?(avancée|qualifiée) (au sens|conforme)/i);
        // Actors translated: no raw value after the label.
        expect(text).not.toMatch(/(Acteur|Actor)( \/ (Actor|Acteur))? ?: (sender|signer|system)\b/);

        const loaded = await loadSigningIdentity(identity)();
        expect(E.isRight(loaded) && text.replace(/ /g, '').includes(loaded.right.leafFingerprint)).toBe(true);
        for (const value of [
          data.procedureId,
          data.quoteNumber,
          data.tenantName,
          data.signers[0]!.email,
          data.auditChainHead,
          data.document.name,
          'PAdES baseline B-B',
          `npx paraphe-verify signed.pdf --certificate certificate.pdf`,
          'sha256sum',
        ]) {
          expect(text).toContain(value);
        }
        expect(text).toContain('Zoé Lefèvre-Lukasz');
        // Every signer, in the list's order; with several, each under their number and role, and the order stated.
        const at = (value: string) => text.indexOf(value);
        for (const signer of data.signers.slice(1)) expect(text).toContain(signer.name);
        for (const signer of data.signers) expect(text).toContain(signer.email);
        const emails = data.signers.map((signer) => at(signer.email));
        expect(emails).toEqual([...emails].sort((a, b) => a - b));
        for (const language of languages) {
          const labels = certificateLabels(language);
          const count = data.signers.length;
          for (const [k, signer] of data.signers.entries()) {
            const heading = `${labels.signerOf(k + 1, count)} — ${labels.roles[signer.role]}`;
            expect(text.includes(heading)).toBe(count > 1);
          }
          expect(text.includes(labels.signingOrders.sequential)).toBe(count > 1);
          expect(text.includes(labels.signingOrder)).toBe(count > 1);
        }
        if (data.signers.length > 1) {
          // Each signer's own signature time, IP and user agent, and the timeline naming whose step each event is.
          for (const signer of data.signers) {
            expect(text).toContain(signer.signedAt.toISOString().replace('T', ' ').slice(0, 19));
            expect(text).toContain(signer.ip!);
          }
          expect(text).toContain(`${certificateLabels(c.language).signerOf(3, 3)}`);
        }

        // The head printed at signature is the `signed` event's, marked in the timeline and in the evidence.
        const headEvent = data.events[data.events.length - 1]!;
        expect(text).toContain(`» ${certificateLabels(c.language).headMark}`);
        const labels = certificateLabels(c.language);
        expect(text).toContain(`» ${labels.headEvent(headEvent.sequence, labels.events.signed)}`);

        // The proof bundle: listed by pdfdetach, decodes, re-checks against the head the certificate prints.
        expect(pdfdetach(['-list', path])).toMatch(
          new RegExp(`1: ${EVIDENCE_FILE_NAME.replace('.', '\\.')}`),
        );
        const evidence = decodeEvidenceFile(attachedEvidence(path));
        if (E.isLeft(evidence)) throw new Error(JSON.stringify(evidence.left));
        expect(verifyEvidenceChain(evidence.right)).toEqual({ valid: true });
        expect(text).toContain(evidence.right.chain.headAtSignature);
        expect(evidence.right.events).toEqual(data.events);
        expect(evidence.right.signers).toEqual(data.signers);
        expect(evidence.right.signingOrder).toBe(data.signingOrder);
        expect(evidence.right.document).toEqual({
          name: data.document.name,
          pageCount: 3,
          originalSha256: data.originalSha256,
          signedSha256: data.signedSha256,
        });

        // No page holds only a leftover line or two.
        expect(Math.min(...linesPerPage(path, pages))).toBeGreaterThanOrEqual(8);
      });
    }

    it('leaves no page with a leftover line or two, however many events and signers (1 to 10), in one or two languages', async () => {
      const single = makePdfCertificateRenderer({ identity, platformName: 'Paraphe' });
      const bilingual = makePdfCertificateRenderer({
        identity,
        platformName: 'Paraphe',
        secondLanguage: 'en',
      });
      const scratch = tempDir('paraphe-layout-');
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 90 }),
          fc.boolean(),
          fc.integer({ min: 1, max: 10 }),
          async (reminders, twoLanguages, signers) => {
            const rendered = await (twoLanguages ? bilingual : single).render(
              certificateData('fr', reminders, signers),
            )();
            if (E.isLeft(rendered)) throw new Error(JSON.stringify(rendered.left));
            const path = writeTemp(scratch, 'certificate.pdf', rendered.right);
            expect(Math.min(...linesPerPage(path, pageCountByPoppler(path)))).toBeGreaterThanOrEqual(8);
          },
        ),
        {
          numRuns: 12,
          examples: [
            [0, true, 10],
            [90, true, 10],
            [0, false, 1],
            [3, true, 2],
          ],
        },
      );
    });

    it('attaches a bundle whose edited event no longer checks against the head printed', async () => {
      const renderer = makePdfCertificateRenderer({ identity, platformName: 'Paraphe' });
      const result = await renderer.render(certificateData('en', 0))();
      if (E.isLeft(result)) throw new Error('not rendered');
      const json = JSON.parse(attachedEvidence(writeTemp(tempDir(), 'certificate.pdf', result.right)));
      json.events[2].ip = '198.51.100.66';
      const edited = decodeEvidenceFile(JSON.stringify(json));
      if (E.isLeft(edited)) throw new Error('not decoded');
      expect(verifyEvidenceChain(edited.right)).toEqual({
        valid: false,
        reason: 'chain-broken',
        brokenAt: 2,
      });
    });

    it('states the level of the seal it is configured with', async () => {
      const renderer = makePdfCertificateRenderer({
        identity,
        platformName: 'Paraphe',
        level: 'B-B',
      } as never);
      const result = await renderer.render(certificateData('fr', 0))();
      if (E.isLeft(result)) throw new Error('not rendered');
      const path = writeTemp(tempDir(), 'certificate.pdf', result.right);
      const evidence = decodeEvidenceFile(attachedEvidence(path));
      expect(E.isRight(evidence) && evidence.right.signatureLevel).toEqual({
        legal: 'simple-electronic-signature',
        pades: 'B-B',
      });
    });

    // Unbounded, these values would fill dozens of pages; bounded, they add the few lines their limits allow.
    it('prints long values up to their limit, on at most one page more than ordinary ones', async () => {
      const renderer = makePdfCertificateRenderer({ identity, platformName: 'Paraphe' });
      const unbroken = (pattern: string) => pattern.repeat(8000 / pattern.length);
      const userAgent = unbroken('Mozilla/5.0(X11;Linux_x86_64)AppleWebKit/537.36;Chrome/126.0;');
      const quoteNumber = unbroken('D-2026-0042/');
      const ordinary = certificateData('en', 0);
      const events = appendToChain(
        [],
        ordinary.events.map((event) => (event.userAgent === undefined ? event : { ...event, userAgent })),
      );
      const data: CertificateData = {
        ...ordinary,
        quoteNumber,
        tenantName: unbroken('Acme-Industries-'),
        sender: { name: unbroken('Hélène-Dupré-'), email: `${'h'.repeat(64)}@${'example.'.repeat(30)}fr` },
        signers: [
          {
            ...ordinary.signers[0]!,
            name: unbroken('Zoé-Lefèvre-Łukasz-山田-'),
            consentText: `I have read and accept quote ${quoteNumber} and sign it electronically.`,
          },
        ],
        document: { name: unbroken('Devis-révisé-'), pageCount: 3 },
        events,
        auditChainHead: events[events.length - 1]!.hash,
      };
      const [long, short] = await Promise.all([renderer.render(data)(), renderer.render(ordinary)()]);
      if (E.isLeft(long) || E.isLeft(short)) throw new Error('not rendered');
      const path = writeTemp(dir, 'certificate-long-inputs.pdf', long.right);
      const pages = pageCountByPoppler(path);
      expect(pages).toBeLessThanOrEqual(
        pageCountByPoppler(writeTemp(dir, 'certificate-en-ordinary.pdf', short.right)) + 1,
      );
      expect(pdftoppm(path, join(dir, 'certificate-long-inputs'), 60)).toBe(pages);
      expect((await verifySignedPdf(long.right)).valid).toBe(true);
      expect(Math.min(...linesPerPage(path, pages))).toBeGreaterThanOrEqual(8);

      // The values have no spaces: wherever the lines broke, the text without white space holds each prefix.
      const text = pdftotext(path).replace(/\s+/g, '');
      const printed = (value: string, limit: number) => `${value.slice(0, limit)}…`;
      expect(text).toContain(printed(userAgent, PRINT_LIMITS.userAgent));
      expect(text).not.toContain(userAgent.slice(0, PRINT_LIMITS.userAgent + 1));
      expect(text).toContain(printed(quoteNumber, PRINT_LIMITS.quoteNumber));
      expect(text).toContain(`acceptquote${printed(quoteNumber, PRINT_LIMITS.quoteNumber)}andsignit`);
      expect(text).toContain(printed(data.tenantName, PRINT_LIMITS.name));
      expect(text).toContain(printed(data.sender.name, PRINT_LIMITS.name));
      expect(text).toContain(printed(data.sender.email!, PRINT_LIMITS.email));
      expect(text).toContain(printed(data.document.name, PRINT_LIMITS.documentName));
      expect(text).toContain(printed('Zoé-Lefèvre-Lukasz-??-'.repeat(400), PRINT_LIMITS.name));
      // The bundle keeps every value whole.
      const evidence = decodeEvidenceFile(attachedEvidence(path));
      expect(E.isRight(evidence) && evidence.right.events[1]?.userAgent).toBe(userAgent);
    });
  },
);
