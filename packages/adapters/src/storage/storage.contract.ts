import type { Storage } from '@paraphe/domain';
import { afterEach, beforeEach, describe } from 'vitest';
import { atomicityContract } from './contract/atomicity.contract.js';
import { documentsContract } from './contract/documents.contract.js';
import { ledgerContract } from './contract/ledger.contract.js';
import { outboxContract } from './contract/outbox.contract.js';
import { proceduresContract } from './contract/procedures.contract.js';
import { refusedWritesContract } from './contract/refused-writes.contract.js';
import { tenantsContract } from './contract/tenants.contract.js';

export interface FreshStorage {
  readonly storage: Storage;
  readonly close: () => Promise<void>;
}

/** Gives each test of a contract section the storage made fresh for it. */
export type StorageUnderTest = () => Storage;

/**
 * The behaviour every `Storage` adapter shares. Each adapter's test file calls this with a factory of
 * empty stores, then adds its own tests below.
 */
export const describeStorageContract = (name: string, makeFresh: () => Promise<FreshStorage>): void => {
  describe(`Storage contract: ${name}`, () => {
    let current: FreshStorage | undefined;
    beforeEach(async () => {
      current = await makeFresh();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    const storage: StorageUnderTest = () => {
      if (current === undefined) throw new Error('No storage: the contract runs inside its own beforeEach');
      return current.storage;
    };
    describe('tenants', () => tenantsContract(storage));
    describe('ledger', () => ledgerContract(storage));
    describe('procedures', () => proceduresContract(storage));
    describe('documents', () => documentsContract(storage));
    describe('outbox', () => outboxContract(storage));
    describe('units of work', () => atomicityContract(storage));
    describe('writes it could not read back', () => refusedWritesContract(storage));
  });
};
