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
import type { AdapterOverrides } from './composition/adapter-overrides.js';
import { decodeConfig, type ParapheConfigInput } from './composition/config.js';
import { buildContainer } from './composition/container.js';
import { checkAtStart } from './composition/start-checks.js';
import { TYPES } from './composition/tokens.js';
import { runWorker, type WorkerOptions } from './worker.js';

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
  /**
   * Runs the periodic jobs continuously until `signal` aborts, then resolves once the run in progress finished: the
   * supported way to deliver, remind and expire (worker.ts). Safe in several instances on PostgreSQL.
   */
  readonly startWorker: (options: WorkerOptions) => Promise<void>;
}

/** Everything a CRM calls; every result is a TaskEither carrying a typed error. */
export interface Paraphe {
  readonly admin: AdminUseCases;
  readonly sender: SenderUseCases;
  readonly signer: SignerUseCases;
  readonly system: SystemJobs;
  readonly close: () => Promise<void>;
}

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
        container.getAsync(TYPES.UseCaseDependencies),
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
  const [admin, sender, signer, system, jobs, storage, deps] = resolved.right;
  const checked = await checkAtStart(config, storage, {
    storageGiven: options.adapters?.storage !== undefined,
  });
  if (E.isLeft(checked)) {
    await storage.close?.();
    return checked;
  }
  const runPeriodicJobs = (): TE.TaskEither<DomainError, PeriodicJobsReport> =>
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
    );
  return E.right({
    admin,
    // With `dispatch: 'after-each-change'` the sender's and signer's changing calls deliver what they produced
    // (use-cases.module.ts); a request never delivers anyone else's messages.
    sender,
    signer,
    system: {
      ...system,
      runPeriodicJobs,
      startWorker: (options) => runWorker(runPeriodicJobs, options, container.get(TYPES.Logger)),
    },
    close: async () => {
      // Deliveries already made are recorded before the storage goes: otherwise they would leave again.
      await deps.deliveredMarks.flush();
      await storage.close?.();
    },
  });
};
