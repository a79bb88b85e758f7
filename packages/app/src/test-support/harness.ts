import {
  type AdjustableClock,
  type InMemoryCrm,
  type InMemoryMailer,
  type InMemorySmsSender,
  makeAdjustableClock,
  makeInMemoryCrm,
  makeInMemoryMailer,
  makeInMemorySmsSender,
  makeInMemoryStorage,
  makeSeededRandom,
} from '@paraphe/adapters';
import {
  generateDevelopmentSigningIdentity,
  makePadesDocumentSealer,
  makePdfCertificateRenderer,
  type PadesSealerConfig,
} from '@paraphe/adapters/pdf';
import type {
  CertificateRenderer,
  Contact,
  DocumentSealer,
  LifecycleNotifier,
  Logger,
  Quote,
  QuoteSource,
  Storage,
  UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { defaultConfig } from '../composition/config.js';
import { createParaphe, type Paraphe } from '../create-paraphe.js';
import { type UseCaseStorage, withDomainErrors } from '../support/use-case-storage.js';

export const START = new Date('2026-03-02T09:00:00Z');
/** The configured secret: a test may derive the link key from it to read a link no email carried yet. */
export const SECRET_KEY = 'test-code-hash-key-0123456789abcdef';
export const TENANT = 'acme';
export const admin: UserActor = { kind: 'user', tenantId: TENANT, userId: 'alice', role: 'admin' };
export const seller: UserActor = { kind: 'user', tenantId: TENANT, userId: 'bob', role: 'user' };

let sealing: Promise<PadesSealerConfig> | undefined;
/** One development identity per test process: generating keys is the slow part. */
export const sealingConfig = (): Promise<PadesSealerConfig> => {
  sealing ??= generateDevelopmentSigningIdentity().then((identity) => ({ identity }));
  return sealing;
};

export const makeQuotePdf = async (title = 'Devis D-2026-001'): Promise<Uint8Array> => {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([595, 842]).drawText(title, { x: 50, y: 780, size: 18, font });
  return pdf.save();
};

export const completeContact: Contact = {
  id: 'c-1',
  firstName: 'Claire',
  lastName: 'Martin',
  email: 'claire.martin@example.fr',
  mobile: '06 12 34 56 78',
};

export interface Harness {
  readonly paraphe: Paraphe;
  readonly crm: InMemoryCrm;
  readonly mailer: InMemoryMailer;
  readonly sms: InMemorySmsSender;
  readonly clock: AdjustableClock;
  /** The storage as the use cases see it: its failures the facade's DomainErrors. */
  readonly storage: UseCaseStorage;
  readonly putQuote: (id: string, overrides?: Partial<Quote>) => Promise<Quote>;
  /** The token in the last invitation sent to `email`, as the signer reads it from the link. */
  readonly tokenFor: (procedureId: string) => string;
  /** The token in the last invitation to the signer at `position` (0-based) of a procedure with several signers. */
  readonly tokenOf: (procedureId: string, position: number) => string;
  /** The code in the last SMS of a procedure, as the signer reads it. */
  readonly lastCode: (procedureId: string) => string;
  /** The code in the last SMS to the signer at `position` (0-based) of a procedure with several signers. */
  readonly codeOf: (procedureId: string, position: number) => string;
}

export interface HarnessOptions {
  readonly dispatch?: 'after-each-change' | 'manual';
  /** In memory unless given. */
  readonly storage?: Storage;
  /** What Paraphe sees of the CRM: the in-memory CRM itself unless given (a wrapper that fails, for example). */
  readonly quoteSource?: (crm: InMemoryCrm) => QuoteSource;
  /** Where lifecycle notifications go: the in-memory CRM itself unless given (a wrapper that hangs, for example). */
  readonly notifier?: (crm: InMemoryCrm) => LifecycleNotifier;
  /** `delivery.requestBudgetMs` (the default, 1 000 ms, unless given). */
  readonly requestBudgetMs?: number;
  readonly logger?: Logger;
  /** The sealer Paraphe uses: the real PAdES sealer unless given (a wrapper whose trust service fails, for example). */
  readonly sealer?: (real: DocumentSealer) => DocumentSealer;
  /** The certificate renderer: the real one unless given (a wrapper that keeps what it was asked, for example). */
  readonly certificates?: (real: CertificateRenderer) => CertificateRenderer;
}

export const makeHarness = async (options: HarnessOptions = {}): Promise<Harness> => {
  const crm = makeInMemoryCrm();
  const mailer = makeInMemoryMailer();
  const sms = makeInMemorySmsSender();
  const clock = makeAdjustableClock(START);
  const storage = options.storage ?? makeInMemoryStorage();
  const sealerConfig = await sealingConfig();
  crm.putUser(TENANT, { id: 'bob', name: 'Bob Leroy', email: 'bob@acme.example' });
  const created = await createParaphe({
    crm: options.quoteSource?.(crm) ?? crm,
    notifier: options.notifier?.(crm) ?? crm,
    config: {
      signingBaseUrl: 'https://crm.example.com/sign/',
      secretKey: SECRET_KEY,
      // The storage given in `adapters` is used; the configuration still names one, as every caller must.
      storage: { kind: 'memory' },
      dispatch: options.dispatch ?? 'after-each-change',
      ...(options.requestBudgetMs === undefined
        ? {}
        : { delivery: { ...defaultConfig.delivery, requestBudgetMs: options.requestBudgetMs } }),
    },
    adapters: {
      storage,
      clock,
      random: makeSeededRandom('harness'),
      mailer,
      sms,
      sealer: (options.sealer ?? ((real) => real))(makePadesDocumentSealer(sealerConfig)),
      certificates: (options.certificates ?? ((real) => real))(makePdfCertificateRenderer(sealerConfig)),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    },
  });
  if (E.isLeft(created)) throw new Error(`${created.left.code} ${JSON.stringify(created.left.details)}`);
  const pdf = await makeQuotePdf();
  return {
    paraphe: created.right,
    crm,
    mailer,
    sms,
    clock,
    storage: withDomainErrors(storage),
    putQuote: async (id, overrides = {}) => {
      const quote: Quote = {
        id,
        tenantId: TENANT,
        number: `D-${id}`,
        ownerId: 'bob',
        contact: completeContact,
        document: { fileName: `${id}.pdf`, bytes: pdf },
        ...overrides,
      };
      crm.putQuote(quote);
      return quote;
    },
    tokenFor: (procedureId) => {
      const invitation = [...mailer.sent]
        .reverse()
        .find((m) => m.procedureId === procedureId && m.kind === 'invitation');
      const link = invitation?.template?.signingLink;
      if (link === undefined) throw new Error(`No invitation for ${procedureId}`);
      return link.slice(link.lastIndexOf('/') + 1);
    },
    tokenOf: (procedureId, position) => {
      const invitation = [...mailer.sent]
        .reverse()
        .find(
          (m) =>
            m.procedureId === procedureId && m.kind === 'invitation' && (m.signerPosition ?? 0) === position,
        );
      const link = invitation?.template?.signingLink;
      if (link === undefined) throw new Error(`No invitation for signer ${position + 1} of ${procedureId}`);
      return link.slice(link.lastIndexOf('/') + 1);
    },
    lastCode: (procedureId) => {
      const text = [...sms.sent].reverse().find((m) => m.procedureId === procedureId)?.text;
      const code = text?.match(/\d{6,8}/)?.[0];
      if (code === undefined) throw new Error(`No code for ${procedureId}`);
      return code;
    },
    codeOf: (procedureId, position) => {
      // The first signer's SMS ids are `<id>.code-<n>`, another's `<id>.code-<position>-<n>`.
      const ofSigner = (id: string) =>
        position === 0 ? /\.code-\d+$/.test(id) : id.includes(`.code-${position}-`);
      const text = [...sms.sent].reverse().find((m) => m.procedureId === procedureId && ofSigner(m.id))?.text;
      const code = text?.match(/\d{6,8}/)?.[0];
      if (code === undefined) throw new Error(`No code for signer ${position + 1} of ${procedureId}`);
      return code;
    },
  };
};

/** Unwraps a Right, failing the test with the error code otherwise. */
export const right = async <A>(task: () => Promise<E.Either<{ readonly code: string }, A>>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result))
    throw new Error(`Expected Right, got ${result.left.code}: ${JSON.stringify(result.left)}`);
  return result.right;
};

export const left = async <A>(task: () => Promise<E.Either<{ readonly code: string }, A>>) => {
  const result = await task();
  if (E.isRight(result)) throw new Error(`Expected Left, got Right: ${JSON.stringify(result.right)}`);
  return result.left;
};
