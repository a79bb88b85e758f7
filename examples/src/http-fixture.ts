import {
  type AdjustableClock,
  type InMemoryCrm,
  type InMemoryMailer,
  type InMemorySmsSender,
  makeAdjustableClock,
  makeInMemoryCrm,
  makeInMemoryMailer,
  makeInMemorySmsSender,
} from '@paraphe/adapters';
import { makeSigningApp, type SigningAppDeps } from '@paraphe/adapters/http';
import { createParaphe, type Paraphe, type ParapheConfigInput } from '@paraphe/app';
import type { Language, UserActor } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { sampleQuotePdf } from './sample-quote.js';

export const TENANT = 'acme-industries';
export const adminActor: UserActor = { kind: 'user', tenantId: TENANT, userId: 'u-admin', role: 'admin' };
export const sellerActor: UserActor = { kind: 'user', tenantId: TENANT, userId: 'u-seller', role: 'user' };
const actors: Readonly<Record<string, UserActor>> = {
  'admin-token': adminActor,
  'seller-token': sellerActor,
};

/** Stands in for the CRM's own authentication: `Authorization: Bearer seller-token` (or `admin-token`). */
export const demoAuthenticate = async (request: Request): Promise<UserActor | undefined> =>
  actors[request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') ?? ''];

/** A two-page quote, so the page has more than one page to show. */
export const twoPageQuote = async (quoteNumber: string): Promise<Uint8Array> => {
  const pdf = await PDFDocument.load(await sampleQuotePdf(quoteNumber, 'Atelier Martin SARL'));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf
    .addPage([595, 842])
    .drawText('Conditions générales de vente — page 2', { x: 50, y: 780, size: 14, font });
  return pdf.save();
};

export interface SigningFixture {
  readonly paraphe: Paraphe;
  readonly app: ReturnType<typeof makeSigningApp>;
  readonly crm: InMemoryCrm;
  readonly mailer: InMemoryMailer;
  readonly sms: InMemorySmsSender;
  readonly clock: AdjustableClock;
  /** Puts a quote in the CRM and sends it for signature; the token is read from the emailed link. */
  readonly sendQuote: (
    quoteId: string,
  ) => Promise<{ readonly procedureId: string; readonly link: string; readonly token: string }>;
  /** The code in the last SMS sent for a procedure, as the signer reads it. */
  readonly lastCode: (procedureId: string) => string;
  readonly outbox: () => { readonly emails: ReadonlyArray<unknown>; readonly sms: ReadonlyArray<unknown> };
}

export interface FixtureOptions {
  /** Where the emailed links point; the page's own `/sign/` URL. */
  readonly signingBaseUrl?: string;
  readonly language?: Language;
  readonly rateLimits?: SigningAppDeps['rateLimits'];
  readonly clientAddress?: SigningAppDeps['clientAddress'];
  /** Serve `GET /_dev/outbox` (default true). */
  readonly devOutbox?: boolean;
  readonly storage?: ParapheConfigInput['storage'];
  readonly now?: Date;
  readonly credits?: number;
}

/** Paraphe with in-memory CRM, mail and SMS, a tenant with credits, and the HTTP adapter on top. */
export const makeSigningFixture = async (options: FixtureOptions = {}): Promise<SigningFixture> => {
  const crm = makeInMemoryCrm();
  const mailer = makeInMemoryMailer();
  const sms = makeInMemorySmsSender();
  const clock = makeAdjustableClock(options.now ?? new Date());
  crm.putUser(TENANT, { id: 'u-seller', name: 'Bruno Vendeur', email: 'bruno@acme.example' });
  crm.putUser(TENANT, { id: 'u-admin', name: 'Alice Admin', email: 'alice@acme.example' });
  const created = await createParaphe({
    crm,
    notifier: crm,
    config: {
      signingBaseUrl: options.signingBaseUrl ?? 'http://localhost/sign/',
      secretKey: 'example-only-secret-key-change-me-0123456789',
      dispatch: 'after-each-change',
      storage: options.storage ?? { kind: 'memory' },
    },
    adapters: { clock, mailer, sms },
  });
  if (E.isLeft(created))
    throw new Error(`createParaphe: ${created.left.code} ${JSON.stringify(created.left.details)}`);
  const paraphe = created.right;
  const must = async <A>(task: () => Promise<E.Either<{ readonly code: string }, A>>): Promise<A> => {
    const result = await task();
    if (E.isLeft(result)) throw new Error(result.left.code);
    return result.right;
  };
  await must(paraphe.admin.activate(adminActor));
  await must(
    paraphe.admin.orderCredits(adminActor, { quantity: options.credits ?? 50, orderReference: 'PO-DEMO-1' }),
  );
  await must(
    paraphe.admin.updateSettings(adminActor, {
      tenantName: 'ACME Industries',
      language: options.language ?? 'fr',
    }),
  );
  const outbox = () => ({ emails: mailer.sent, sms: sms.sent });
  const app = makeSigningApp({
    signer: paraphe.signer,
    sender: paraphe.sender,
    admin: paraphe.admin,
    authenticate: demoAuthenticate,
    csrfSecret: 'example-only-csrf-secret-change-me-0123456789',
    ...(options.devOutbox === false ? {} : { devOutbox: outbox }),
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
    ...(options.clientAddress === undefined ? {} : { clientAddress: options.clientAddress }),
  });
  const sendQuote = async (quoteId: string) => {
    const number = `D-2026-${quoteId}`;
    crm.putQuote({
      id: quoteId,
      tenantId: TENANT,
      number,
      ownerId: 'u-seller',
      contact: {
        id: `c-${quoteId}`,
        firstName: 'Claire',
        lastName: 'Martin',
        email: 'claire.martin@atelier-martin.fr',
        mobile: '06 12 34 56 78',
      },
      document: { fileName: `${number}.pdf`, bytes: await twoPageQuote(number) },
    });
    const view = await must(
      paraphe.sender.send(sellerActor, {
        quoteId,
        subject: `Devis ${number}`,
        body: 'Bonjour,\n\n{{signing_link}}',
      }),
    );
    const invitation = [...mailer.sent]
      .reverse()
      .find((m) => m.procedureId === view.id && m.kind === 'invitation');
    const link = invitation?.template?.signingLink;
    if (link === undefined) throw new Error(`No invitation for ${view.id}`);
    return { procedureId: view.id, link, token: link.slice(link.lastIndexOf('/') + 1) };
  };
  const lastCode = (procedureId: string) => {
    const code = [...sms.sent]
      .reverse()
      .find((m) => m.procedureId === procedureId)
      ?.text.match(/\d{6,8}/)?.[0];
    if (code === undefined) throw new Error(`No code for ${procedureId}`);
    return code;
  };
  return { paraphe, app, crm, mailer, sms, clock, sendQuote, lastCode, outbox };
};
