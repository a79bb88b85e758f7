import type {
  AdminUseCases,
  DomainError,
  LifecycleNotifier,
  QuoteSource,
  SenderUseCases,
  SignerUseCases,
  SystemUseCases,
  UnreadableRecord,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Container } from 'inversify';
import { MissingDriver } from './composition/adapter-entries.js';
import { decodeConfig, type ParapheConfigInput } from './composition/config.js';
import { buildContainer } from './composition/container.js';
import type { AdapterOverrides } from './composition/infrastructure.module.js';
import { checkAtStart } from './composition/start-checks.js';
import { TYPES } from './composition/tokens.js';

export interface ParapheOptions {
  /** The CRM: reads quotes and users, creates follow-up actions. */
  readonly crm: QuoteSource;
  /** Where lifecycle notifications go in process; `config.webhook`, when set, is told as well. None by default. */
  readonly notifier?: LifecycleNotifier;
  /** Plain data, decoded: `signingBaseUrl` and `secretKey` are required; adapters default to in-memory. */
  readonly config: ParapheConfigInput;
  readonly adapters?: AdapterOverrides;
}

/** What `runPeriodicJobs` did. */
export interface PeriodicJobsReport {
  readonly expired: number;
  readonly reminded: number;
  readonly delivered: number;
  /**
   * Stored procedures and outbox messages that did not decode (older data, a manual edit): skipped, so that the
   * others were handled all the same, and named here (kind, id, the invalid fields) for someone to look at.
   */
  readonly unreadable: ReadonlyArray<UnreadableRecord>;
}

export interface SystemJobs extends SystemUseCases {
  /** What a periodic job runs: expiry sweep, reminders, then outbox delivery. */
  readonly runPeriodicJobs: () => TE.TaskEither<DomainError, PeriodicJobsReport>;
}

/** Everything a CRM calls; every result is a TaskEither carrying a typed error. */
export interface Paraphe {
  readonly admin: AdminUseCases;
  readonly sender: SenderUseCases;
  readonly signer: SignerUseCases;
  readonly system: SystemJobs;
  readonly close: () => Promise<void>;
}

type AnyUseCase = (...args: never[]) => TE.TaskEither<DomainError, unknown>;
const keepGoing = (): TE.TaskEither<DomainError, number> => TE.right(0);

/**
 * Delivers the outbox after each successful call that changes something, so emails leave as soon as their change
 * committed; reads are left alone so they never wait on someone else's delivery.
 */
const dispatchingAfter = <U extends object>(
  useCases: U,
  changing: ReadonlyArray<keyof U>,
  dispatch: SystemUseCases['dispatchOutbox'],
): U =>
  Object.fromEntries(
    Object.entries(useCases).map(([name, useCase]) => [
      name,
      !changing.includes(name as keyof U)
        ? useCase
        : (...args: never[]) =>
            pipe(
              (useCase as AnyUseCase)(...args),
              TE.chainFirst(() =>
                pipe(
                  dispatch(),
                  // A delivery problem is the outbox's to retry; the caller's change has committed.
                  TE.orElse(keepGoing),
                ),
              ),
            ),
    ]),
  ) as U;

/**
 * The parts of the facade, each adapter built (and its entry point imported) as the configuration names it; a
 * driver that is not installed is `INVALID_CONFIG` naming the package.
 */
const resolveParts = async (container: Container) => {
  try {
    return E.right(
      await Promise.all([
        container.getAsync(TYPES.AdminUseCases),
        container.getAsync(TYPES.SenderUseCases),
        container.getAsync(TYPES.SignerUseCases),
        container.getAsync(TYPES.SystemUseCases),
        container.getAsync(TYPES.PeriodicJobs),
        container.getAsync(TYPES.Storage),
      ]),
    );
  } catch (cause) {
    if (cause instanceof MissingDriver) return E.left(cause.error);
    throw cause;
  }
};

/**
 * Builds Paraphe from the CRM's adapters and a configuration. A bad configuration (an unknown key at any depth, a
 * missing storage, a signing identity that does not load) is `INVALID_CONFIG` here, not at the first signer.
 */
export const createParaphe = async (options: ParapheOptions): Promise<E.Either<DomainError, Paraphe>> => {
  const decoded = decodeConfig(options.config);
  if (E.isLeft(decoded)) return decoded;
  const config = decoded.right;
  const container = buildContainer(config, options.crm, options.notifier, options.adapters ?? {});
  const resolved = await resolveParts(container);
  if (E.isLeft(resolved)) return resolved;
  const [admin, sender, signer, system, jobs, storage] = resolved.right;
  const checked = await checkAtStart(config, storage);
  if (E.isLeft(checked)) {
    await storage.close?.();
    return checked;
  }
  const immediate = config.dispatch === 'after-each-change';
  const dispatchingSender = dispatchingAfter(sender, ['send', 'cancel'], system.dispatchOutbox);
  return E.right({
    admin,
    sender: immediate
      ? {
          ...dispatchingSender,
          // The invitation has left by now: answer with the procedure as it stands after delivery. The send has
          // committed: should that read fail, the answer is the procedure as committed, never a failure.
          send: (actor, input) =>
            pipe(
              dispatchingSender.send(actor, input),
              TE.chain((committed) =>
                pipe(
                  sender.getProcedure(actor, committed.id),
                  TE.orElse(() => TE.right(committed)),
                ),
              ),
            ),
        }
      : sender,
    signer: immediate
      ? dispatchingAfter(
          signer,
          ['open', 'requestCode', 'verifyCode', 'sign', 'decline'],
          system.dispatchOutbox,
        )
      : signer,
    system: {
      ...system,
      runPeriodicJobs: () =>
        pipe(
          jobs.expireDue(),
          TE.bindTo('expired'),
          TE.bind('reminded', () => jobs.sendReminders()),
          TE.bind('delivered', () => jobs.dispatchOutbox()),
          TE.map(
            ({ expired, reminded, delivered }): PeriodicJobsReport => ({
              expired: expired.count,
              reminded: reminded.count,
              delivered: delivered.count,
              unreadable: [...expired.unreadable, ...reminded.unreadable, ...delivered.unreadable],
            }),
          ),
        ),
    },
    close: async () => {
      await storage.close?.();
    },
  });
};
