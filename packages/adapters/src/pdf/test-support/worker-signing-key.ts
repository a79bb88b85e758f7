import { fileURLToPath } from 'node:url';
import type { DevelopmentKeyAlgorithm } from '../development-identity.js';
import { fromAsyncSigningKey, type SigningKey } from '../signing-key.js';
import { inWorker } from './in-worker.js';
import type * as Entry from './signing-key-worker-entry.js';

export interface WorkerSigningKey {
  readonly key: SigningKey;
  /** To trust the worker's development root in a validator (pdfsig's NSS database). */
  readonly rootCertificatePem: string;
  readonly close: () => Promise<void>;
}

const SIGN_TIMEOUT_MS = 10_000;

/**
 * A signing key held by a worker thread, as a KMS or an HSM holds one: this thread sees the certificate chain and
 * signatures, never key bytes. Written with promises, as a CRM would write its own, and turned into the port.
 */
export const startWorkerSigningKey = async (
  keyAlgorithm: DevelopmentKeyAlgorithm,
): Promise<WorkerSigningKey> => {
  const worker = inWorker<typeof Entry>(
    fileURLToPath(new URL('./signing-key-worker-entry.ts', import.meta.url)),
  );
  const generated = await worker.call('generate', [keyAlgorithm], 30_000);
  return {
    key: fromAsyncSigningKey({
      certificateChain: generated.certificateChain,
      algorithm: generated.algorithm,
      sign: (digest, signedData) => worker.call('sign', [digest, signedData], SIGN_TIMEOUT_MS),
    }),
    rootCertificatePem: generated.rootCertificatePem,
    close: worker.close,
  };
};
