import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  type DevelopmentKeyAlgorithm,
  type DevelopmentSigningIdentity,
  generateDevelopmentSigningIdentity,
} from '../development-identity.js';

export interface DevelopmentKey {
  readonly identity: DevelopmentSigningIdentity;
  readonly privateKey: KeyObject;
  /** DER, leaf first. */
  readonly certificateChain: ReadonlyArray<Uint8Array>;
}

export const pemToDer = (pem: string): Uint8Array =>
  new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64'));

/** A development identity with its key as a Node key object and its chain as DER, to build signing keys from. */
export const developmentKey = async (
  keyAlgorithm: DevelopmentKeyAlgorithm = 'rsa-2048',
): Promise<DevelopmentKey> => {
  const identity = await generateDevelopmentSigningIdentity({ keyAlgorithm });
  return {
    identity,
    privateKey: createPrivateKey(identity.privateKeyPem),
    certificateChain: (identity.certificateChainPem as ReadonlyArray<string>).map(pemToDer),
  };
};
