import { domainError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { runWorker } from './worker.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runWorker', () => {
  it('keeps running after a failed run, and on abort lets the run in progress finish before it resolves', async () => {
    const events: string[] = [];
    let runs = 0;
    const stopping = new AbortController();
    const run = () => async () => {
      runs += 1;
      events.push(`start ${runs}`);
      await tick(30);
      events.push(`end ${runs}`);
      return runs === 1 ? E.left(domainError('STORAGE_FAILURE', { retryable: true })) : E.right(runs);
    };
    const outcomes: string[] = [];
    const worker = runWorker(run, {
      signal: stopping.signal,
      intervalMs: 1,
      onRun: (outcome) => outcomes.push(E.isLeft(outcome) ? outcome.left.code : 'ok'),
    });
    while (runs < 3) await tick(5);
    stopping.abort();
    events.push('aborted');
    await worker;
    events.push('resolved');
    // The third run was in progress when the signal came: it ended before the worker resolved, and none followed.
    expect(events.slice(-3)).toEqual(['aborted', 'end 3', 'resolved']);
    expect(outcomes).toEqual(['STORAGE_FAILURE', 'ok', 'ok']);
  });

  it('does not run at all once aborted, and wakes from its pause at once', async () => {
    const stopping = new AbortController();
    stopping.abort();
    let runs = 0;
    await runWorker(() => async () => E.right(++runs), { signal: stopping.signal });
    expect(runs).toBe(0);
    const later = new AbortController();
    const worker = runWorker(() => async () => E.right(++runs), {
      signal: later.signal,
      intervalMs: 3_600_000,
    });
    while (runs < 1) await tick(1);
    later.abort();
    await worker; // would wait an hour if the pause ignored the signal
    expect(runs).toBe(1);
  });
});
