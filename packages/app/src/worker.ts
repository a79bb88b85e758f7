import { type DomainError, type Logger, silentLogger } from '@paraphe/domain';
import type * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

export interface WorkerOptions {
  /** Aborting it stops the worker: the run in progress finishes (its claims settled), then `startWorker` resolves. */
  readonly signal: AbortSignal;
  /** The pause between two runs (default 5 000 ms); a run goes on as long as something is due. */
  readonly intervalMs?: number;
  /** Told the outcome of every run, for logs and metrics. */
  readonly onRun?: (outcome: E.Either<DomainError, unknown>) => void;
}

const DEFAULT_INTERVAL_MS = 5_000;

/** Resolves after `ms`, or at once when `signal` aborts. */
const pauseUnlessAborted = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Runs the periodic jobs (expiry sweep, reminders, outbox delivery) again and again until `signal` aborts. A run that
 * fails (the database restarting) is reported and the next one comes after the pause: the worker itself never stops
 * on an error. Several workers may run at once, in one process or many: claims are leases (`FOR UPDATE SKIP LOCKED`
 * on PostgreSQL), so no message or expiry is handled twice. On abort the run in progress finishes — a message being
 * delivered is settled, delivered or rescheduled — so nothing stays claimed for a lease's length.
 */
export const runWorker = async (
  run: () => TE.TaskEither<DomainError, unknown>,
  options: WorkerOptions,
  logger: Logger = silentLogger,
): Promise<void> => {
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  logger.info({ intervalMs: interval }, 'worker started');
  while (!options.signal.aborted) {
    const outcome = await run()();
    if (outcome._tag === 'Left')
      logger.error(
        { code: outcome.left.code, retryable: outcome.left.details?.retryable },
        'worker run failed',
      );
    options.onRun?.(outcome);
    await pauseUnlessAborted(interval, options.signal);
  }
  logger.info({}, 'worker stopped');
};
