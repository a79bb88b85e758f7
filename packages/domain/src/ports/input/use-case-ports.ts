import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { DomainError } from '../../errors.js';
import type { UserActor } from '../../shared/actor.js';
import type { ProcedureId, QuoteId, RequestContext } from '../../shared/types.js';
import type { TenantSettings } from '../../tenant-settings/tenant-settings.js';
import type { DocumentVerification } from '../document-verifier.js';
import type { CreditsView, DownloadedFile, HealthReport, ProcedureView, SigningPageView } from './views.js';

/** Input ports: what driving adapters (the CRM's code, the HTTP signer page) call. Inputs are decoded inside. */
export interface AdminUseCases {
  readonly activate: (actor: UserActor) => TE.TaskEither<DomainError, TenantSettings>;
  readonly deactivate: (actor: UserActor) => TE.TaskEither<DomainError, TenantSettings>;
  readonly orderCredits: (
    actor: UserActor,
    input: { readonly quantity: number; readonly orderReference: string },
  ) => TE.TaskEither<DomainError, CreditsView>;
  /** Merges the given fields into the settings; `esignatureActive` is set by activate/deactivate only. */
  readonly updateSettings: (actor: UserActor, changes: unknown) => TE.TaskEither<DomainError, TenantSettings>;
}

export interface SendInput {
  readonly quoteId: QuoteId;
  readonly subject: string;
  /** The email body; the signing link replaces `{{signing_link}}`, or is appended when absent. */
  readonly body: string;
  readonly idempotencyKey?: string;
  /** Who signs; absent, the quote's contact alone, as always. */
  readonly signers?: SendSigners;
}

/**
 * The signers a send asks for: contacts the CRM returns for the quote (`contactIds`, in signing order, by default the
 * quote's contact), then a user of the tenant countersigning last; `sequential` (the default) or `parallel`. At most
 * `MAX_SIGNERS` contact ids (more is `INVALID_INPUT`); more than `MAX_SIGNERS` signers in all is a refusal reason,
 * `TOO_MANY_SIGNERS`. One credit whatever their number.
 */
export interface SendSigners {
  readonly contactIds?: ReadonlyArray<string>;
  readonly countersignerId?: string;
  readonly order?: 'sequential' | 'parallel';
}

export interface SenderUseCases {
  readonly getSettings: (actor: UserActor) => TE.TaskEither<DomainError, TenantSettings>;
  readonly getCredits: (actor: UserActor) => TE.TaskEither<DomainError, CreditsView>;
  /**
   * Every reason that blocks sending to these signers (absent: the quote's contact alone), so a CRM can warn before the
   * box is ticked; empty when it can be sent.
   */
  readonly checkSend: (
    actor: UserActor,
    quoteId: QuoteId,
    signers?: SendSigners,
  ) => TE.TaskEither<DomainError, ReadonlyArray<DomainError>>;
  readonly send: (actor: UserActor, input: SendInput) => TE.TaskEither<DomainError, ProcedureView>;
  readonly getProcedure: (
    actor: UserActor,
    procedureId: ProcedureId,
  ) => TE.TaskEither<DomainError, ProcedureView>;
  readonly listProcedures: (
    actor: UserActor,
    quoteId: QuoteId,
  ) => TE.TaskEither<DomainError, ReadonlyArray<ProcedureView>>;
  /** Ends a procedure in progress; the optional reason (at most 2,000 characters) goes on the timeline. */
  readonly cancel: (
    actor: UserActor,
    procedureId: ProcedureId,
    reason?: string,
  ) => TE.TaskEither<DomainError, ProcedureView>;
  readonly downloadSignedDocument: (
    actor: UserActor,
    procedureId: ProcedureId,
  ) => TE.TaskEither<DomainError, DownloadedFile>;
  readonly downloadCertificate: (
    actor: UserActor,
    procedureId: ProcedureId,
  ) => TE.TaskEither<DomainError, DownloadedFile>;
  /**
   * Checks a PDF someone claims is this procedure's signed document (a file sent back by the client, an archived
   * copy): every signature valid, the original Paraphe froze at sending inside it, and the bytes the ones it sealed.
   * Given the certificate of signature too, its signatures, and the evidence it carries checked against this
   * procedure (its id, both hashes, the audit chain's head at signature): the offline verifier's checks, named.
   */
  readonly verifySignedDocument: (
    actor: UserActor,
    procedureId: ProcedureId,
    pdf: Uint8Array,
    certificate?: Uint8Array,
  ) => TE.TaskEither<DomainError, DocumentVerification>;
}

export type CodeVerification =
  | { readonly outcome: 'verified' }
  | { readonly outcome: 'rejected'; readonly attemptsLeft: number };

/** The signer is identified by the link's token alone; an unknown token is `LINK_INVALID`. */
export interface SignerUseCases {
  readonly open: (token: string, context?: RequestContext) => TE.TaskEither<DomainError, SigningPageView>;
  /** The original while unsigned, the signed PDF afterwards. */
  readonly document: (token: string) => TE.TaskEither<DomainError, DownloadedFile>;
  readonly requestCode: (
    token: string,
    context?: RequestContext,
  ) => TE.TaskEither<DomainError, SigningPageView>;
  readonly verifyCode: (
    token: string,
    code: string,
    context?: RequestContext,
  ) => TE.TaskEither<DomainError, CodeVerification>;
  readonly sign: (
    token: string,
    consent: boolean,
    context?: RequestContext,
  ) => TE.TaskEither<DomainError, SigningPageView>;
  readonly decline: (
    token: string,
    reason: string | undefined,
    context?: RequestContext,
  ) => TE.TaskEither<DomainError, SigningPageView>;
}

export interface SystemUseCases {
  /** Expires every procedure past its deadline and releases its credit; safe to run concurrently and repeatedly. */
  readonly expireDue: () => TE.TaskEither<DomainError, number>;
  /** Queues a reminder for each signer whose tenant wants reminders and whose next one is due; returns how many. */
  readonly sendReminders: () => TE.TaskEither<DomainError, number>;
  /** Delivers due outbox messages (emails, follow-up actions, CRM notifications); returns how many were delivered. */
  readonly dispatchOutbox: () => TE.TaskEither<DomainError, number>;
  /** What a health check reads: whether the storage answers, and how far delivery and expiry lag; never a Left. */
  readonly health: () => TE.TaskEither<DomainError, HealthReport>;
}
