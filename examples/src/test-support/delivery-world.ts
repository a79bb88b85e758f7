import {
  type AdjustableClock,
  type InMemoryCrm,
  makeAdjustableClock,
  makeInMemoryCrm,
  makeInMemoryStorage,
  makeSeededRandom,
} from '@paraphe/adapters';
import {
  generateDevelopmentSigningIdentity,
  makePadesDocumentSealer,
  makePdfCertificateRenderer,
  type PadesSealerConfig,
} from '@paraphe/adapters/pdf';
import { createParaphe, type Paraphe } from '@paraphe/app';
import type {
  DomainError,
  LedgerEntry,
  OutboxRecord,
  ProcedureView,
  Storage,
  StorageError,
  UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import {
  type SmtpTestServer,
  startSmtpTestServer,
} from '../../../packages/adapters/src/mail/smtp/test-support/smtp-test-server.js';
import {
  type FakeTwilio,
  startFakeTwilio,
  type TwilioBehaviour,
} from '../../../packages/adapters/src/sms/http/test-support/fake-twilio.js';
import { sampleQuotePdf } from '../sample-quote.js';
import {
  type CrmWebhookReceiver,
  startCrmWebhookReceiver,
  type WebhookAnswer,
} from './crm-webhook-receiver.js';
import { recordingErrors } from './recording-facade.js';

export const START = new Date('2026-03-02T09:00:00Z');
export const TENANT = 'acme';
export const SIGNING_BASE_URL = 'https://crm.example.com/sign/';
export const SIGNER_EMAIL = 'claire.martin@example.fr';
export const SENDER_EMAIL = 'bob@acme.example';
export const admin: UserActor = { kind: 'user', tenantId: TENANT, userId: 'alice', role: 'admin' };
export const seller: UserActor = { kind: 'user', tenantId: TENANT, userId: 'bob', role: 'user' };

/** Values that must never reach a log line, an error or the database. */
export const SECRETS = {
  secretKey: 'e2e-secret-key-5d1f0c9a7b3e4f2a8c6d0e1f',
  accountSid: 'AC00000000000000000000000000e2e0',
  authToken: 'twilio-auth-token-9c41e7b2',
  webhookSecret: 'whsec-e2e-3b9d2f7a61c4',
} as const;

/** A facade call (DomainError) or a read of the storage itself (StorageError) that must succeed. */
export const unwrap = async <A>(task: () => Promise<E.Either<DomainError | StorageError, A>>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`Expected Right, got ${JSON.stringify(result.left)}`);
  return result.right;
};

export const refusal = async <A>(task: () => Promise<E.Either<DomainError, A>>): Promise<DomainError> => {
  const result = await task();
  if (E.isRight(result)) throw new Error(`Expected Left, got ${JSON.stringify(result.right)}`);
  return result.left;
};

// Generating a key pair is the slow part: once per test file (each file has its own module instance).
let sealing: Promise<PadesSealerConfig> | undefined;
const sealingConfig = () => {
  sealing ??= generateDevelopmentSigningIdentity().then((identity) => ({ identity }));
  return sealing;
};

export interface WorldOptions {
  /** Refuses recipients of the loopback SMTP server (see `smtpReply`). */
  readonly rcpt?: (address: string) => Error | undefined;
  /** Configure this SMTP port and start no server: the mail server is down. */
  readonly mailPort?: number;
  /** The fake Twilio's answers, one per request, the last repeating. */
  readonly twilio?: ReadonlyArray<TwilioBehaviour>;
  readonly smsTimeoutMs?: number;
  /** Configure the webhook URL with this port (a relay's) in place of the receiver's own. */
  readonly webhookPort?: number;
  /** The status the CRM's webhook answers each verified event with (204 when absent). */
  readonly webhookAnswer?: WebhookAnswer;
  readonly delivery?: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
  };
}

export interface DeliveryWorld {
  /** The facade built by `createParaphe` from configuration, every returned error recorded in `errors`. */
  readonly paraphe: Paraphe;
  readonly errors: ReadonlyArray<DomainError>;
  readonly clock: AdjustableClock;
  readonly crm: InMemoryCrm;
  readonly smtp: SmtpTestServer | undefined;
  readonly twilio: FakeTwilio;
  readonly webhook: CrmWebhookReceiver;
  /** Puts quote `id` in the CRM and sends it for signature. */
  readonly send: (quoteId: string) => Promise<ProcedureView>;
  readonly procedure: (id: string) => Promise<ProcedureView>;
  readonly timeline: (id: string) => Promise<ReadonlyArray<string>>;
  readonly ledger: () => Promise<ReadonlyArray<LedgerEntry>>;
  readonly outbox: () => Promise<ReadonlyArray<OutboxRecord>>;
  /** Every code the SMS provider was asked to deliver, in order. */
  readonly codesSent: () => ReadonlyArray<string>;
  readonly close: () => Promise<void>;
}

const codeIn = (body: string | undefined): string => {
  const code = /(?<!\d)\d{6}(?!\d)/.exec(body ?? '')?.[0];
  if (code === undefined) throw new Error('no code in the SMS');
  return code;
};

/**
 * Paraphe built by the real composition root from a configuration naming SMTP, Twilio and a webhook,
 * each pointing at a loopback server of this process; a tenant activated with 3 credits.
 */
export const startDeliveryWorld = async (options: WorldOptions = {}): Promise<DeliveryWorld> => {
  const clock = makeAdjustableClock(START);
  const crm = makeInMemoryCrm();
  const storage: Storage = makeInMemoryStorage();
  const smtp =
    options.mailPort === undefined
      ? await startSmtpTestServer({ ...(options.rcpt ? { rcpt: options.rcpt } : {}) })
      : undefined;
  const twilio = await startFakeTwilio(SECRETS, options.twilio ?? ['created']);
  const webhook = await startCrmWebhookReceiver(SECRETS.webhookSecret, clock.now, options.webhookAnswer);
  const webhookUrl = new URL(webhook.url);
  if (options.webhookPort !== undefined) webhookUrl.port = String(options.webhookPort);
  const sealer = await sealingConfig();
  crm.putUser(TENANT, { id: 'bob', name: 'Bob Leroy', email: SENDER_EMAIL });
  crm.putUser(TENANT, { id: 'alice', name: 'Alice Admin', email: 'alice@acme.example' });
  const created = await createParaphe({
    crm,
    notifier: crm,
    config: {
      signingBaseUrl: SIGNING_BASE_URL,
      secretKey: SECRETS.secretKey,
      storage: { kind: 'memory' },
      mail: {
        kind: 'smtp',
        host: '127.0.0.1',
        port: options.mailPort ?? smtp?.port ?? 0,
        from: 'signature@acme.example',
        fromName: 'ACME Signature',
        messageIdDomain: 'acme.example',
      },
      sms: {
        kind: 'twilio',
        baseUrl: twilio.baseUrl,
        accountSid: SECRETS.accountSid,
        authToken: SECRETS.authToken,
        from: '+33700000000',
        timeoutMs: options.smsTimeoutMs ?? 2000,
      },
      webhook: { url: webhookUrl.href, secret: SECRETS.webhookSecret, allowPrivateNetwork: true },
      delivery: options.delivery ?? { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 600_000 },
    },
    adapters: {
      storage,
      clock,
      random: makeSeededRandom('delivery-world'),
      sealer: makePadesDocumentSealer(sealer),
      certificates: makePdfCertificateRenderer(sealer),
    },
  });
  if (E.isLeft(created))
    throw new Error(`createParaphe: ${created.left.code} ${JSON.stringify(created.left.details)}`);
  const { paraphe, errors } = recordingErrors(created.right);
  await unwrap(paraphe.admin.activate(admin));
  await unwrap(paraphe.admin.orderCredits(admin, { quantity: 3, orderReference: 'PO-E2E' }));
  const pdf = await sampleQuotePdf('D-2026-0042', 'Atelier Martin SARL');
  const procedure = (id: string) => unwrap(paraphe.sender.getProcedure(seller, id));
  return {
    paraphe,
    errors,
    clock,
    crm,
    smtp,
    twilio,
    webhook,
    send: (quoteId) => {
      crm.putQuote({
        id: quoteId,
        tenantId: TENANT,
        number: `D-2026-${quoteId}`,
        ownerId: 'bob',
        contact: {
          id: 'c-1',
          firstName: 'Claire',
          lastName: 'Martin',
          email: SIGNER_EMAIL,
          mobile: '06 12 34 56 78',
        },
        document: { fileName: `${quoteId}.pdf`, bytes: pdf },
      });
      return unwrap(
        paraphe.sender.send(seller, {
          quoteId,
          subject: `Votre devis D-2026-${quoteId}`,
          body: 'Bonjour Claire,\n\nVoici notre offre à signer : {{signing_link}}\n\nBob',
        }),
      );
    },
    procedure,
    timeline: async (id) => (await procedure(id)).timeline.map((e) => e.type),
    ledger: () => unwrap(storage.unitOfWork((s) => s.ledger.entries(TENANT))),
    outbox: () => unwrap(storage.unitOfWork((s) => s.outbox.list())),
    codesSent: () => twilio.requests.map((form) => codeIn(form.Body)),
    close: async () => {
      await created.right.close();
      await Promise.all([smtp?.close(), twilio.close(), webhook.close()]);
    },
  };
};
