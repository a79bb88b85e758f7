import type {
  AdminUseCases,
  CertificateRenderer,
  Clock,
  DocumentSealer,
  DocumentVerifier,
  LifecycleNotifier,
  Logger,
  Mailer,
  QuoteSource,
  Random,
  SenderUseCases,
  SignerUseCases,
  SmsSender,
  Storage,
  SystemUseCases,
} from '@paraphe/domain';
import type { ServiceIdentifier } from 'inversify';
import type { UseCaseDependencies } from '../use-cases/dependencies.js';
import type { PeriodicJobs } from '../use-cases/job-report.js';
import type { Closeable } from './closeable.js';
import type { ParapheConfig } from './config.js';

/** One token per port or service, named like its interface. */
export const TYPES = {
  ParapheConfig: Symbol.for('ParapheConfig') as ServiceIdentifier<ParapheConfig>,
  Storage: Symbol.for('Storage') as ServiceIdentifier<Storage & Closeable>,
  Clock: Symbol.for('Clock') as ServiceIdentifier<Clock>,
  Random: Symbol.for('Random') as ServiceIdentifier<Random>,
  QuoteSource: Symbol.for('QuoteSource') as ServiceIdentifier<QuoteSource>,
  LifecycleNotifier: Symbol.for('LifecycleNotifier') as ServiceIdentifier<LifecycleNotifier>,
  Mailer: Symbol.for('Mailer') as ServiceIdentifier<Mailer>,
  SmsSender: Symbol.for('SmsSender') as ServiceIdentifier<SmsSender>,
  DocumentSealer: Symbol.for('DocumentSealer') as ServiceIdentifier<DocumentSealer>,
  DocumentVerifier: Symbol.for('DocumentVerifier') as ServiceIdentifier<DocumentVerifier>,
  Logger: Symbol.for('Logger') as ServiceIdentifier<Logger>,
  CertificateRenderer: Symbol.for('CertificateRenderer') as ServiceIdentifier<CertificateRenderer>,
  UseCaseDependencies: Symbol.for('UseCaseDependencies') as ServiceIdentifier<UseCaseDependencies>,
  AdminUseCases: Symbol.for('AdminUseCases') as ServiceIdentifier<AdminUseCases>,
  SenderUseCases: Symbol.for('SenderUseCases') as ServiceIdentifier<SenderUseCases>,
  SignerUseCases: Symbol.for('SignerUseCases') as ServiceIdentifier<SignerUseCases>,
  SystemUseCases: Symbol.for('SystemUseCases') as ServiceIdentifier<SystemUseCases>,
  PeriodicJobs: Symbol.for('PeriodicJobs') as ServiceIdentifier<PeriodicJobs>,
} as const;
