import type { Logger } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { withBookkeepingRetries } from '../support/bookkeeping-retry.js';
import type { UseCaseStorage } from '../support/use-case-storage.js';

/** How long a delivery's mark waits for others to be recorded with it, and how many are recorded together at most. */
const GATHER_MS = 20;
const MOST_AT_ONCE = 100;

interface Mark {
  readonly id: string;
  readonly at: Date;
}

/**
 * The deliveries whose only bookkeeping is their mark (a CRM notification, an email other than an invitation),
 * recorded together: the marks noted within a few milliseconds are written in one unit of work, so that a request
 * delivering its CRM notice, or the worker delivering fifty messages, pays one commit for all of them rather than one
 * each. Until its mark is written a message keeps its claim's lease: a crash meanwhile delivers it again once the
 * lease lapses (at least once, as any delivery whose bookkeeping is lost; the webhook id tells the CRM it is the
 * same). `flush` writes what was noted so far: the worker before each claim and at the end of its run, `close`.
 */
export interface DeliveredMarks {
  /** Notes that this message was delivered at `at`; written within `GATHER_MS`, or at once when many wait. */
  readonly note: (id: string, at: Date) => void;
  /** Writes every mark noted so far; resolves once they are written (or, failing after retries, logged). */
  readonly flush: () => Promise<void>;
}

export const makeDeliveredMarks = (storage: UseCaseStorage, logger: Logger): DeliveredMarks => {
  let noted: Mark[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Writes run one after the other, so that `flush` resolves once every mark noted before it is written.
  let written: Promise<void> = Promise.resolve();

  const markAll = (marks: ReadonlyArray<Mark>) =>
    withBookkeepingRetries(() =>
      storage.unitOfWork((session) =>
        pipe(
          marks,
          TE.traverseSeqArray((mark) => session.outbox.markDelivered(mark.id, mark.at)),
        ),
      ),
    );

  const write = async (marks: ReadonlyArray<Mark>): Promise<void> => {
    const together = await markAll(marks)();
    if (E.isRight(together)) return;
    for (const mark of marks) {
      // Alone, so that a mark refused does not take the others with it.
      const alone = marks.length === 1 ? together : await markAll([mark])();
      if (E.isLeft(alone))
        logger.error(
          { messageId: mark.id, code: alone.left.code },
          'delivery not recorded: the message is delivered again once its claim lapses',
        );
    }
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const marks = noted;
    noted = [];
    written = written.then(() => (marks.length === 0 ? undefined : write(marks)));
    return written;
  };

  return {
    note: (id, at) => {
      noted.push({ id, at });
      if (noted.length >= MOST_AT_ONCE) void flush();
      else timer ??= setTimeout(() => void flush(), GATHER_MS);
    },
    flush,
  };
};
