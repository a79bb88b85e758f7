import type {
  CertificateRenderer,
  Clock,
  DocumentSealer,
  DocumentVerifier,
  LifecycleNotifier,
  Logger,
  Mailer,
  QuoteSource,
  Random,
  SmsSender,
} from '@paraphe/domain';
import type { Secrets } from '../support/secrets.js';
import type { UseCaseStorage } from '../support/use-case-storage.js';
import type { DeliveredMarks } from './delivered-marks.js';

export interface DeliveryPolicy {
  /** Attempts before an outbox message is given up (the invitation then fails and its credit comes back). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Everything a use case may reach; the composition root provides it. */
export interface UseCaseDependencies {
  /** The storage port with its failures mapped to the facade's `DomainError` (support/use-case-storage.ts). */
  readonly storage: UseCaseStorage;
  readonly clock: Clock;
  readonly random: Random;
  readonly quotes: QuoteSource;
  readonly notifier: LifecycleNotifier;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly sealer: DocumentSealer;
  readonly certificates: CertificateRenderer;
  readonly verifier: DocumentVerifier;
  /** Keys of the SMS code hashes and of the sealed signing tokens: a stolen database alone reveals neither. */
  readonly secrets: Secrets;
  /** Builds the link the signer opens, from the token. */
  readonly signingUrl: (token: string) => string;
  readonly delivery: DeliveryPolicy;
  /** What operators read: deliveries, retries, give-ups, sweeps (silent unless the host gives a logger). */
  readonly logger: Logger;
  /** Deliveries whose only bookkeeping is their mark, recorded together (delivered-marks.ts). */
  readonly deliveredMarks: DeliveredMarks;
}
