import { afterEach, beforeEach, expect } from 'vitest';
import { type DeliveryWorld, startDeliveryWorld, type WorldOptions } from './delivery-world.js';
import type { RawMailbox } from './mailbox.js';
import { captureOutput, type OutputCapture } from './output-capture.js';
import { secretLeaks } from './secret-leaks.js';

export interface FaultWorlds {
  /** Starts this test's world (closed after the test). */
  readonly start: (options?: WorldOptions) => Promise<DeliveryWorld>;
  /** Mail servers a test started later: searched for leaks too. */
  readonly laterMailboxes: RawMailbox[];
  /** What a test started besides its world (relays, servers), closed after it. */
  readonly cleanups: Array<() => Promise<void>>;
}

/**
 * One delivery world per test of a fault suite: its output captured, and after the test, whatever went wrong, no
 * secret may have been printed, returned in an error or stored in the outbox; then everything is closed.
 */
export const useFaultWorlds = (): FaultWorlds => {
  let world: DeliveryWorld | undefined;
  let output: OutputCapture | undefined;
  const laterMailboxes: RawMailbox[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(async () => {
    output?.restore();
    if (world !== undefined)
      expect(await secretLeaks(world, output?.text() ?? '', laterMailboxes)).toEqual([]);
    await world?.close();
    await Promise.all(cleanups.splice(0).map((c) => c()));
    world = undefined;
    laterMailboxes.length = 0;
  });
  return {
    start: async (options = {}) => {
      world = await startDeliveryWorld(options);
      return world;
    },
    laterMailboxes,
    cleanups,
  };
};
