import type { SystemUseCases } from '@paraphe/domain';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { deliveringOwnMessages, senderDeliveringOwn } from '../support/own-delivery.js';
import { deriveSecrets } from '../support/secrets.js';
import { instrumentedDependencies, makeTelemetry, type Telemetry, traced } from '../support/telemetry.js';
import { withDomainErrors } from '../support/use-case-storage.js';
import { makeAdminUseCases } from '../use-cases/admin-use-cases.js';
import { makeDeliverOwnMessages, type OwnDelivery } from '../use-cases/deliver-own-messages.js';
import { makeDeliveredMarks } from '../use-cases/delivered-marks.js';
import type { UseCaseDependencies } from '../use-cases/dependencies.js';
import { makeDispatchOutbox } from '../use-cases/dispatch-outbox.js';
import { makeExpireDue } from '../use-cases/expire-due.js';
import { makeHealth } from '../use-cases/health.js';
import { countOf, type PeriodicJobs } from '../use-cases/job-report.js';
import { makeSendReminders } from '../use-cases/send-reminders.js';
import { makeSenderUseCases } from '../use-cases/sender-use-cases.js';
import { makeSignerUseCases } from '../use-cases/signer-use-cases.js';
import { type ParapheConfig, requestBudgetMs } from './config.js';
import { TYPES } from './tokens.js';

/** One own delivery for the sender's and the signer's calls: a receiver found hung by either is skipped by both. */
const DeliverOwnMessages = Symbol.for('DeliverOwnMessages') as ServiceIdentifier<OwnDelivery>;
/** Metrics and traces through @opentelemetry/api: a no-op unless the host registered an SDK before composing. */
const TelemetryToken = Symbol.for('Telemetry') as ServiceIdentifier<Telemetry>;

/** The use cases, built from the ports; nothing here knows which adapters were chosen. */
export const useCasesModule = new ContainerModule(({ bind }) => {
  bind(TelemetryToken).toResolvedValue(makeTelemetry).inSingletonScope();
  bind(TYPES.UseCaseDependencies)
    .toResolvedValue(
      (
        config: ParapheConfig,
        storage,
        clock,
        random,
        quotes,
        notifier,
        mailer,
        sms,
        sealer,
        certificates,
        verifier,
        logger,
        telemetry: Telemetry,
      ): UseCaseDependencies => {
        const deps = instrumentedDependencies(telemetry, {
          storage: withDomainErrors(storage),
          clock,
          random,
          quotes,
          notifier,
          mailer,
          sms,
          sealer,
          certificates,
          verifier,
          logger,
          secrets: deriveSecrets(config.secretKey),
          signingUrl: (token: string) => `${config.signingBaseUrl}${token}`,
          delivery: config.delivery,
        });
        // On the instrumented storage, as every other unit of work.
        return { ...deps, deliveredMarks: makeDeliveredMarks(deps.storage, logger) };
      },
      [
        TYPES.ParapheConfig,
        TYPES.Storage,
        TYPES.Clock,
        TYPES.Random,
        TYPES.QuoteSource,
        TYPES.LifecycleNotifier,
        TYPES.Mailer,
        TYPES.SmsSender,
        TYPES.DocumentSealer,
        TYPES.CertificateRenderer,
        TYPES.DocumentVerifier,
        TYPES.Logger,
        TelemetryToken,
      ],
    )
    .inSingletonScope();
  bind(TYPES.AdminUseCases)
    .toResolvedValue(
      (deps: UseCaseDependencies, telemetry: Telemetry) =>
        traced(telemetry, 'admin', makeAdminUseCases(deps)),
      [TYPES.UseCaseDependencies, TelemetryToken],
    )
    .inSingletonScope();
  bind(DeliverOwnMessages)
    .toResolvedValue(makeDeliverOwnMessages, [TYPES.UseCaseDependencies])
    .inSingletonScope();
  // With `dispatch: 'after-each-change'`, a changing call delivers what it produced, within the request budget; the
  // worker delivers everything else (and everything, with `manual`).
  bind(TYPES.SenderUseCases)
    .toResolvedValue(
      (deps: UseCaseDependencies, config: ParapheConfig, deliverOwn: OwnDelivery, telemetry: Telemetry) =>
        traced(
          telemetry,
          'sender',
          config.dispatch === 'after-each-change'
            ? senderDeliveringOwn(deps, deliverOwn, requestBudgetMs(config))
            : makeSenderUseCases(deps),
        ),
      [TYPES.UseCaseDependencies, TYPES.ParapheConfig, DeliverOwnMessages, TelemetryToken],
    )
    .inSingletonScope();
  bind(TYPES.SignerUseCases)
    .toResolvedValue(
      (deps: UseCaseDependencies, config: ParapheConfig, deliverOwn: OwnDelivery, telemetry: Telemetry) =>
        traced(
          telemetry,
          'signer',
          config.dispatch === 'after-each-change'
            ? deliveringOwnMessages(
                makeSignerUseCases,
                deps,
                // A page view never delivers: it is the most frequent call and the signer is reading.
                ['requestCode', 'verifyCode', 'sign', 'decline'],
                deliverOwn,
                requestBudgetMs(config),
              )
            : makeSignerUseCases(deps),
        ),
      [TYPES.UseCaseDependencies, TYPES.ParapheConfig, DeliverOwnMessages, TelemetryToken],
    )
    .inSingletonScope();
  bind(TYPES.PeriodicJobs)
    .toResolvedValue(
      (deps: UseCaseDependencies): PeriodicJobs => ({
        expireDue: makeExpireDue(deps),
        sendReminders: makeSendReminders(deps),
        dispatchOutbox: makeDispatchOutbox(deps),
      }),
      [TYPES.UseCaseDependencies],
    )
    .inSingletonScope();
  // Each job alone answers with its count; `runPeriodicJobs` (create-paraphe.ts) also returns what was skipped.
  bind(TYPES.SystemUseCases)
    .toResolvedValue(
      (jobs: PeriodicJobs, deps: UseCaseDependencies, telemetry: Telemetry): SystemUseCases =>
        traced(telemetry, 'system', {
          expireDue: () => TE.map(countOf)(jobs.expireDue()),
          sendReminders: () => TE.map(countOf)(jobs.sendReminders()),
          dispatchOutbox: () => TE.map(countOf)(jobs.dispatchOutbox()),
          health: makeHealth(deps),
        }),
      [TYPES.PeriodicJobs, TYPES.UseCaseDependencies, TelemetryToken],
    )
    .inSingletonScope();
});
