import {
  makeCryptoRandom,
  makeInMemoryMailer,
  makeInMemorySmsSender,
  makeInMemoryStorage,
  makeSystemClock,
  realSleep,
  retrying,
} from '@paraphe/adapters';
import type { DevelopmentSigningIdentity, PadesLevel, PadesSealerConfig } from '@paraphe/adapters/pdf';
import {
  type Clock,
  type LifecycleNotifier,
  type Mailer,
  type QuoteSource,
  type SmsSender,
  type Storage,
  silentLogger,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import {
  loadPdf,
  loadPostgres,
  loadSmtp,
  loadSqlite,
  loadTwilio,
  loadWebhook,
  type PdfEntry,
} from './adapter-entries.js';
import type { AdapterOverrides } from './adapter-overrides.js';
import type { Closeable } from './closeable.js';
import type { ParapheConfig } from './config.js';
import { lazily, lazyCertificateRenderer, lazyDocumentSealer, lazyDocumentVerifier } from './lazy-ports.js';
import { TYPES } from './tokens.js';

const logTo = <L>(log: ((entry: L) => void) | undefined) => (log === undefined ? {} : { log });

/** The sealer's settings, worked out (a development identity generated) when the first document is sealed. */
const SealerSettings = Symbol.for('PadesSealerSettings') as ServiceIdentifier<
  () => Promise<PadesSealerConfig>
>;
/** The PDF entry point, imported when the first document is read: a send, a seal or a verification. */
const Pdf = Symbol.for('PdfEntry') as ServiceIdentifier<() => Promise<PdfEntry>>;

const timestamping = (sealing: { readonly timestampAuthorityUrl?: string; readonly level?: PadesLevel }) => ({
  ...(sealing.timestampAuthorityUrl === undefined
    ? {}
    : { timestampAuthority: { url: sealing.timestampAuthorityUrl } }),
  ...(sealing.level === undefined ? {} : { level: sealing.level }),
});

// Generating a key pair takes most of a second: a throwaway development identity is made once per process,
// not once per instance (tests and demos build many).
let developmentIdentity: Promise<DevelopmentSigningIdentity> | undefined;

const sealerConfig = async (config: ParapheConfig, pdf: PdfEntry): Promise<PadesSealerConfig> => {
  switch (config.sealing.kind) {
    case 'development':
      developmentIdentity ??= pdf.generateDevelopmentSigningIdentity().catch((cause: unknown) => {
        developmentIdentity = undefined;
        throw cause;
      });
      return { identity: await developmentIdentity };
    case 'pem':
      return {
        identity: {
          kind: 'pem',
          privateKeyPem: config.sealing.privateKeyPem,
          certificateChainPem: config.sealing.certificateChainPem,
        },
        ...timestamping(config.sealing),
      };
    case 'pkcs12':
      return {
        identity: {
          kind: 'pkcs12',
          pkcs12: Buffer.from(config.sealing.pkcs12Base64, 'base64'),
          passphrase: config.sealing.passphrase,
        },
        ...timestamping(config.sealing),
      };
    case 'key':
      return {
        identity: { kind: 'key', key: config.sealing.key },
        ...timestamping(config.sealing),
      };
  }
};

const noNotifier: LifecycleNotifier = { notify: () => TE.right(undefined) };

/** Tells the first, then the second; a failure of either is the outbox's to retry, so both hear it at least once. */
const notifyingBoth = (first: LifecycleNotifier, second: LifecycleNotifier): LifecycleNotifier => ({
  notify: (notification) =>
    pipe(
      first.notify(notification),
      TE.chain(() => second.notify(notification)),
    ),
});

const SMS_TIMEOUT_MS = 5_000;
const smsRetryPolicy = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 2_000 };
// The outbox retries notifications over hours; the notifier itself only smooths a blip.
const webhookRetryPolicy = { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2_000 };

/** Chooses each adapter by a switch on the decoded configuration, unless an instance was given. */
export const infrastructureModule = (
  crm: QuoteSource,
  notifier: LifecycleNotifier | undefined,
  overrides: AdapterOverrides,
) =>
  new ContainerModule(({ bind }) => {
    bind(TYPES.QuoteSource).toConstantValue(crm);
    bind(TYPES.LifecycleNotifier)
      .toResolvedValue(
        async (config: ParapheConfig, clock: Clock): Promise<LifecycleNotifier> => {
          const webhook =
            config.webhook === null
              ? undefined
              : (await loadWebhook()).makeWebhookNotifier({
                  url: config.webhook.url,
                  secret: config.webhook.secret,
                  now: clock.now,
                  sleep: realSleep,
                  policy: webhookRetryPolicy,
                  ...logTo(overrides.deliveryLog),
                  ...(config.webhook.allowPrivateNetwork === undefined
                    ? {}
                    : { allowPrivateNetwork: config.webhook.allowPrivateNetwork }),
                });
          // A notifier given in code and a configured webhook are both wanted: neither silently replaces the other.
          if (notifier === undefined) return webhook ?? noNotifier;
          return webhook === undefined ? notifier : notifyingBoth(notifier, webhook);
        },
        [TYPES.ParapheConfig, TYPES.Clock],
      )
      .inSingletonScope();
    bind(TYPES.Clock).toConstantValue(overrides.clock ?? makeSystemClock());
    bind(TYPES.Random).toConstantValue(overrides.random ?? makeCryptoRandom());
    bind(TYPES.Storage)
      .toResolvedValue(
        async (config: ParapheConfig): Promise<Storage & Closeable> => {
          if (overrides.storage !== undefined) return overrides.storage;
          switch (config.storage.kind) {
            case 'memory':
              return makeInMemoryStorage();
            case 'sqlite':
              return (await loadSqlite()).makeSqliteStorage({
                filename: config.storage.filename,
                ...(config.storage.mustExist === undefined ? {} : { mustExist: config.storage.mustExist }),
              });
            case 'postgres':
              return (await loadPostgres()).makePostgresStorage({
                connectionString: config.storage.connectionString,
                ...(config.storage.preparedStatements === undefined
                  ? {}
                  : { preparedStatements: config.storage.preparedStatements }),
                ...(config.storage.connectTimeoutMs === undefined
                  ? {}
                  : { connectTimeoutMs: config.storage.connectTimeoutMs }),
                ...(config.storage.statementTimeoutMs === undefined
                  ? {}
                  : { statementTimeoutMs: config.storage.statementTimeoutMs }),
                ...(config.storage.idleInTransactionTimeoutMs === undefined
                  ? {}
                  : { idleInTransactionTimeoutMs: config.storage.idleInTransactionTimeoutMs }),
              });
          }
        },
        [TYPES.ParapheConfig],
      )
      .inSingletonScope();
    bind(TYPES.Mailer)
      .toResolvedValue(
        async (config: ParapheConfig): Promise<Mailer> => {
          if (overrides.mailer !== undefined) return overrides.mailer;
          switch (config.mail.kind) {
            case 'memory':
              return makeInMemoryMailer();
            case 'smtp': {
              const smtp = config.mail;
              return (await loadSmtp()).makeSmtpMailer({
                ...logTo(overrides.deliveryLog),
                host: smtp.host,
                port: smtp.port,
                secure: smtp.secure ?? false,
                ...(smtp.requireTLS === undefined ? {} : { requireTLS: smtp.requireTLS }),
                ...(smtp.user === undefined ? {} : { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
                from: { address: smtp.from, ...(smtp.fromName === undefined ? {} : { name: smtp.fromName }) },
                messageIdDomain: smtp.messageIdDomain,
              });
            }
          }
        },
        [TYPES.ParapheConfig],
      )
      .inSingletonScope();
    bind(TYPES.SmsSender)
      .toResolvedValue(
        async (config: ParapheConfig): Promise<SmsSender> => {
          if (overrides.sms !== undefined) return overrides.sms;
          switch (config.sms.kind) {
            case 'memory':
              return makeInMemorySmsSender();
            case 'twilio': {
              const { makeHttpSmsSender } = await loadTwilio();
              // The signer is waiting on the page: a few quick retries, then the failure is theirs to retry.
              // A timed-out request may still have been sent, so it is not retried: never two codes at once.
              return retrying(smsRetryPolicy, realSleep, {
                retryWhen: (error) => error.reason !== 'TIMEOUT',
              })(
                makeHttpSmsSender({
                  ...logTo(overrides.deliveryLog),
                  baseUrl: config.sms.baseUrl,
                  accountSid: config.sms.accountSid,
                  authToken: config.sms.authToken,
                  sender: { from: config.sms.from },
                  timeoutMs: config.sms.timeoutMs ?? SMS_TIMEOUT_MS,
                }),
              );
            }
          }
        },
        [TYPES.ParapheConfig],
      )
      .inSingletonScope();
    // The PDF library is the heaviest thing Paraphe loads: it is imported when the first document is read (a send,
    // a seal, a verification), so that a process that only starts, reads or runs jobs never pays for it.
    bind(Pdf).toConstantValue(lazily(loadPdf));
    bind(SealerSettings)
      .toResolvedValue(
        (config: ParapheConfig, pdf: () => Promise<PdfEntry>) =>
          lazily(async () => sealerConfig(config, await pdf())),
        [TYPES.ParapheConfig, Pdf],
      )
      .inSingletonScope();
    // A given sealer or renderer is bound as is, so no signing identity is loaded or generated for it.
    if (overrides.sealer === undefined) {
      bind(TYPES.DocumentSealer)
        .toResolvedValue(
          (pdf: () => Promise<PdfEntry>, settings: () => Promise<PadesSealerConfig>) =>
            lazyDocumentSealer(async () => (await pdf()).makePadesDocumentSealer(await settings())),
          [Pdf, SealerSettings],
        )
        .inSingletonScope();
    } else {
      bind(TYPES.DocumentSealer).toConstantValue(overrides.sealer);
    }
    bind(TYPES.Logger).toConstantValue(overrides.logger ?? silentLogger);
    if (overrides.verifier === undefined) {
      bind(TYPES.DocumentVerifier)
        .toResolvedValue(
          (pdf: () => Promise<PdfEntry>) =>
            lazyDocumentVerifier(async () => (await pdf()).makePdfDocumentVerifier()),
          [Pdf],
        )
        .inSingletonScope();
    } else {
      bind(TYPES.DocumentVerifier).toConstantValue(overrides.verifier);
    }
    if (overrides.certificates === undefined) {
      bind(TYPES.CertificateRenderer)
        .toResolvedValue(
          (config: ParapheConfig, pdf: () => Promise<PdfEntry>, settings: () => Promise<PadesSealerConfig>) =>
            lazyCertificateRenderer(async () =>
              (await pdf()).makePdfCertificateRenderer({ ...(await settings()), ...config.certificate }),
            ),
          [TYPES.ParapheConfig, Pdf, SealerSettings],
        )
        .inSingletonScope();
    } else {
      bind(TYPES.CertificateRenderer).toConstantValue(overrides.certificates);
    }
  });
