import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { EmailAddress, Language, ProcedureId, TenantId } from '../shared/types.js';
import type { DeliveryError } from './delivery-error.js';

export type EmailKind =
  | 'invitation'
  | 'reminder'
  | 'signed-notification'
  | 'declined-notification'
  | 'expired-notification';

/** A message as the use cases decide it; the adapter renders and transports it. */
export interface OutgoingEmail {
  /** Stable id: the same message retried keeps the same id (and Message-ID header). */
  readonly id: string;
  readonly tenantId: TenantId;
  readonly procedureId: ProcedureId;
  readonly kind: EmailKind;
  readonly language: Language;
  readonly to: EmailAddress;
  readonly toName?: string;
  readonly replyTo?: EmailAddress;
  readonly subject: string;
  /** Plain-text body, the signing link already in place. */
  readonly text: string;
  /** Whose signing link the delivery puts in, for invitations and reminders: the signer's position (0 by default). */
  readonly signerPosition?: number;
  /** Values a templating adapter may use to render HTML. */
  readonly template?: Readonly<Record<string, string>>;
}

export interface Mailer {
  /** Delivers one email; sending the same `id` twice must not be treated as two different messages by a receiver. */
  readonly send: (
    email: OutgoingEmail,
  ) => TE.TaskEither<DeliveryError, { readonly providerMessageId: string }>;
}
