import type { SmtpLogEntry } from '@paraphe/adapters/smtp';
import type { SmsLogEntry } from '@paraphe/adapters/twilio';
import type { WebhookLogEntry } from '@paraphe/adapters/webhook';
import type {
  CertificateRenderer,
  Clock,
  DocumentSealer,
  DocumentVerifier,
  Logger,
  Mailer,
  Random,
  SmsSender,
  Storage,
} from '@paraphe/domain';
import type { Closeable } from './closeable.js';

/** Adapter instances that replace the configured ones: the CRM's own, or a test's. */
export interface AdapterOverrides {
  readonly storage?: Storage & Closeable;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly mailer?: Mailer;
  readonly sms?: SmsSender;
  readonly sealer?: DocumentSealer;
  readonly certificates?: CertificateRenderer;
  readonly verifier?: DocumentVerifier;
  /** Where operators read what happened (a pino logger fits); silent by default. */
  readonly logger?: Logger;
  /** Receives one secret-free line per delivery attempt of the SMTP, SMS and webhook adapters. */
  readonly deliveryLog?: (entry: SmtpLogEntry | SmsLogEntry | WebhookLogEntry) => void;
}
