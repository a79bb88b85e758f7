import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent, AuditEventType, CertificateData, Language, Sha256Hex } from '@paraphe/domain';
import { sha256Hex } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateLabels } from './certificate-labels.js';
import { makePdfCertificateRenderer } from './certificate-renderer.js';
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
  writeTemp,
} from './test-support/pdf-tools.js';
import { requireTools } from './test-support/require-tool.js';
import { verifySignedPdf } from './verify-signed-pdf.js';

const types: ReadonlyArray<AuditEventType> = [
  'procedure_created',
  'invitation_sent',
  'opened',
  'code_sent',
  'code_rejected',
  'code_sent',
  'code_verified',
  'signed',
  'follow_up_created',
  'crm_notified',
];

const certificateData = (language: Language, repeat: number): CertificateData => {
  const start = Date.parse('2025-03-12T12:00:00Z');
  const events: AuditEvent[] = Array.from({ length: types.length * repeat }, (_, i) => ({
    type: types[i % types.length]!,
    at: new Date(start + i * 47_000),
    actor: i % 3 === 0 ? 'system' : 'signer',
    ...(i % 3 === 0
      ? {}
      : {
          ip: `203.0.113.${i % 250}`,
          userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/17.4',
        }),
    data: {},
    sequence: i + 1,
    previousHash: sha256Hex(`prev-${i}`),
    hash: sha256Hex(`event-${i}`),
  }));
  return {
    language,
    timeZone: 'Europe/Paris',
    procedureId: 'proc_01HZX3K9Q2',
    quoteNumber: 'Q-2025-0042',
    tenantName: 'Société Générale des Écluses',
    sender: { name: 'Hélène Dupré', email: 'helene@example.fr' },
    signer: { name: 'Zoé Lefèvre-Łukasz 山田', email: 'zoe@example.com', maskedMobile: '+33 6 •• •• •• 78' },
    originalSha256: sha256Hex('original'),
    signedSha256: sha256Hex('signed'),
    identityCheck: {
      method: 'sms-code',
      maskedMobile: '+33 6 •• •• •• 78',
      codesSentAt: [new Date(start + 4 * 47_000), new Date(start + 6 * 47_000)],
      verifiedAt: new Date(start + 7 * 47_000),
      wrongAttempts: 1,
    },
    consentText:
      "J'ai lu et j'accepte le devis Q-2025-0042 et je le signe électroniquement — « bon pour accord ».",
    signedAt: new Date(start + 8 * 47_000),
    events,
    auditChainHead: sha256Hex('head') as Sha256Hex,
  };
};

describe.skipIf(!requireTools('pdfsig', 'pdftoppm', 'pdftotext', 'pdfinfo', 'certutil'))(
  'certificate of signature',
  () => {
    let identity: DevelopmentSigningIdentity;
    beforeAll(async () => {
      identity = await generateDevelopmentSigningIdentity();
      mkdirSync(join(artifactsDir, 'certificate'), { recursive: true });
    });

    for (const language of ['fr', 'en'] as const) {
      it(`renders, seals and lists every event (${language})`, async () => {
        const renderer = makePdfCertificateRenderer({ identity, platformName: 'Paraphe' });
        const data = certificateData(language, language === 'fr' ? 5 : 1);
        const result = await renderer.render(data)();
        if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
        const path = writeTemp(
          join(artifactsDir, 'certificate'),
          `certificate-${language}.pdf`,
          result.right,
        );
        const pages = pageCountByPoppler(path);
        if (language === 'fr') expect(pages).toBeGreaterThan(2);
        expect(pdftoppm(path, join(artifactsDir, 'certificate', `certificate-${language}`), 60)).toBe(pages);

        const [signature] = pdfsig(path, nssDatabaseTrusting(identity.rootCertificatePem));
        expect(signature?.validation).toMatch(/^Signature is Valid/);
        expect(signature?.totalDocumentSigned).toBe(true);
        expect(signature?.trusted).toBe(true);
        expect((await verifySignedPdf(result.right)).valid).toBe(true);

        const text = pdftotext(path).replace(/\s+/g, ' ');
        const labels = certificateLabels(language);
        for (const event of data.events) {
          expect(text).toContain(`${event.sequence}. ${labels.events[event.type]}`);
        }
        const loaded = await loadSigningIdentity(identity)();
        expect(E.isRight(loaded) && text.replace(/ /g, '').includes(loaded.right.leafFingerprint)).toBe(true);
        for (const value of [
          data.procedureId,
          data.quoteNumber,
          data.tenantName,
          data.signer.email,
          data.auditChainHead,
        ]) {
          expect(text).toContain(value);
        }
        expect(text).toContain('Zoé Lefèvre-Lukasz');
      });
    }

    it('prints long values up to their limit, on as many pages as ordinary ones', async () => {
      const renderer = makePdfCertificateRenderer({ identity, platformName: 'Paraphe' });
      const unbroken = (pattern: string) => pattern.repeat(8000 / pattern.length);
      const userAgent = unbroken('Mozilla/5.0(X11;Linux_x86_64)AppleWebKit/537.36;Chrome/126.0;');
      const quoteNumber = unbroken('D-2026-0042/');
      const ordinary = certificateData('en', 1);
      const data: CertificateData = {
        ...ordinary,
        quoteNumber,
        tenantName: unbroken('Acme-Industries-'),
        sender: { name: unbroken('Hélène-Dupré-'), email: `${'h'.repeat(64)}@${'example.'.repeat(30)}fr` },
        signer: { ...ordinary.signer, name: unbroken('Zoé-Lefèvre-Łukasz-山田-') },
        consentText: `I have read and accept quote ${quoteNumber} and sign it electronically.`,
        events: ordinary.events.map((event) =>
          event.userAgent === undefined ? event : { ...event, userAgent },
        ),
      };
      const [long, short] = await Promise.all([renderer.render(data)(), renderer.render(ordinary)()]);
      if (E.isLeft(long) || E.isLeft(short)) throw new Error('not rendered');
      const dir = join(artifactsDir, 'certificate');
      const path = writeTemp(dir, 'certificate-long-inputs.pdf', long.right);
      const pages = pageCountByPoppler(path);
      expect(pages).toBe(pageCountByPoppler(writeTemp(dir, 'certificate-en-ordinary.pdf', short.right)));
      expect(pdftoppm(path, join(dir, 'certificate-long-inputs'), 60)).toBe(pages);
      expect((await verifySignedPdf(long.right)).valid).toBe(true);

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
      expect(text).toContain(printed('Zoé-Lefèvre-Lukasz-??-'.repeat(400), PRINT_LIMITS.name));
    });
  },
);
