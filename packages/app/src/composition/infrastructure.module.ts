import {
  generateDevelopmentSigningIdentity,
  makeCryptoRandom,
  makeInMemoryMailer,
  makeInMemorySmsSender,
  makeInMemoryStorage,
  makePadesDocumentSealer,
  makeSystemClock,
  type PadesSealerConfig,
} from '@paraphe/adapters';
import type {
  CertificateRenderer,
  Clock,
  DocumentSealer,
  LifecycleNotifier,
  Mailer,
  QuoteSource,
  Random,
  SmsSender,
  Storage,
} from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import type { Closeable } from './closeable.js';
import type { ParapheConfig } from './config.js';
import { TYPES } from './tokens.js';

/** Adapter instances that replace the configured ones: the CRM's own, or a test's. */
export interface AdapterOverrides {
  readonly storage?: Storage & Closeable;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly mailer?: Mailer;
  readonly sms?: SmsSender;
  readonly sealer?: DocumentSealer;
  readonly certificates?: CertificateRenderer;
}

const SealerConfig = Symbol.for('PadesSealerConfig') as ServiceIdentifier<PadesSealerConfig>;

const timestamping = (url: string | undefined) => (url === undefined ? {} : { timestampAuthority: { url } });

const sealerConfig = async (config: ParapheConfig): Promise<PadesSealerConfig> => {
  switch (config.sealing.kind) {
    case 'development':
      return { identity: await generateDevelopmentSigningIdentity() };
    case 'pem':
      return {
        identity: {
          kind: 'pem',
          privateKeyPem: config.sealing.privateKeyPem,
          certificateChainPem: config.sealing.certificateChainPem,
        },
        ...timestamping(config.sealing.timestampAuthorityUrl),
      };
    case 'pkcs12':
      return {
        identity: {
          kind: 'pkcs12',
          pkcs12: Buffer.from(config.sealing.pkcs12Base64, 'base64'),
          passphrase: config.sealing.passphrase,
        },
        ...timestamping(config.sealing.timestampAuthorityUrl),
      };
  }
};

const noNotifier: LifecycleNotifier = { notify: () => TE.right(undefined) };

/** Chooses each adapter by a switch on the decoded configuration, unless an instance was given. */
export const infrastructureModule = (crm: QuoteSource, notifier: LifecycleNotifier | undefined, overrides: AdapterOverrides) =>
  new ContainerModule(({ bind }) => {
    bind(TYPES.QuoteSource).toConstantValue(crm);
    bind(TYPES.LifecycleNotifier).toConstantValue(notifier ?? noNotifier);
    bind(TYPES.Clock).toConstantValue(overrides.clock ?? makeSystemClock());
    bind(TYPES.Random).toConstantValue(overrides.random ?? makeCryptoRandom());
    bind(TYPES.Storage)
      .toResolvedValue((config: ParapheConfig) => {
        if (overrides.storage !== undefined) return overrides.storage;
        switch (config.storage.kind) {
          case 'memory':
            return makeInMemoryStorage();
          case 'sqlite':
          case 'postgres':
            throw new Error(`Storage '${config.storage.kind}' is not available yet`);
        }
      }, [TYPES.ParapheConfig])
      .inSingletonScope();
    bind(TYPES.Mailer)
      .toResolvedValue((config: ParapheConfig): Mailer => {
        if (overrides.mailer !== undefined) return overrides.mailer;
        switch (config.mail.kind) {
          case 'memory':
            return makeInMemoryMailer();
          case 'smtp':
            throw new Error('SMTP is not available yet');
        }
      }, [TYPES.ParapheConfig])
      .inSingletonScope();
    bind(TYPES.SmsSender)
      .toResolvedValue((config: ParapheConfig): SmsSender => {
        if (overrides.sms !== undefined) return overrides.sms;
        switch (config.sms.kind) {
          case 'memory':
            return makeInMemorySmsSender();
          case 'twilio':
            throw new Error('Twilio is not available yet');
        }
      }, [TYPES.ParapheConfig])
      .inSingletonScope();
    bind(SealerConfig).toResolvedValue(sealerConfig, [TYPES.ParapheConfig]).inSingletonScope();
    bind(TYPES.DocumentSealer)
      .toResolvedValue((config: PadesSealerConfig) => overrides.sealer ?? makePadesDocumentSealer(config), [SealerConfig])
      .inSingletonScope();
    bind(TYPES.CertificateRenderer)
      .toResolvedValue(
        (config: PadesSealerConfig) => overrides.certificates ?? (config as never),
        [SealerConfig],
      )
      .inSingletonScope();
  });
