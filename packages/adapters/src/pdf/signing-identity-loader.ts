import { type SealingError, sealingError } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as pkijs from 'pkijs';
import { createCadesSignature, sha256Of } from './cms-signature.js';
import {
  identityFromParts,
  type KeySigningIdentityConfig,
  loadKeySigningIdentity,
  loadPemSigningIdentity,
  type Pkcs12SigningIdentityConfig,
  type SigningIdentity,
  type SigningIdentityConfig,
} from './signing-identity.js';

export type { SigningIdentity, SigningIdentityConfig } from './signing-identity.js';

const BAG = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
};

interface Decryptable {
  parseInternalValues(parameters: { password: ArrayBuffer }): Promise<void>;
}

const buf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;
const der = (value: { toSchema(): { toBER(sizeOnly?: boolean): ArrayBuffer } }): Uint8Array =>
  new Uint8Array(value.toSchema().toBER(false));

// pkijs decrypts with WebCrypto: PBES2 (AES + PBKDF2, OpenSSL 3's default) works; legacy RC2/3DES bags do not.
const parsePkcs12 = async (config: Pkcs12SigningIdentityConfig): Promise<SigningIdentity> => {
  const password = buf(new TextEncoder().encode(config.passphrase));
  const pfx = pkijs.PFX.fromBER(buf(config.pkcs12));
  await pfx.parseInternalValues({ password, checkIntegrity: true });
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (safe === undefined) throw new Error('PKCS#12 without authenticated safe');
  await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password })) });
  let key: Uint8Array | undefined;
  const certificates: Uint8Array[] = [];
  for (const contents of safe.parsedValue?.safeContents ?? []) {
    for (const bag of contents.value.safeBags) {
      if (bag.bagId === BAG.shroudedKeyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        // Declared protected in pkijs 4's typings, yet it is the documented way to decrypt a key bag.
        await (shrouded as unknown as Decryptable).parseInternalValues({ password });
        if (shrouded.parsedValue !== undefined) key = der(shrouded.parsedValue);
      } else if (bag.bagId === BAG.keyBag) {
        key = der(bag.bagValue as pkijs.PrivateKeyInfo);
      } else if (bag.bagId === BAG.certBag) {
        const parsed = (bag.bagValue as pkijs.CertBag).parsedValue;
        if (parsed instanceof pkijs.Certificate) certificates.push(der(parsed));
      }
    }
  }
  if (key === undefined) throw new Error('PKCS#12 without a private key');
  // Leaf first: the certificate whose key matches, found by trying each in turn.
  for (const [index, candidate] of certificates.entries()) {
    try {
      return identityFromParts(key, [candidate, ...certificates.filter((_, i) => i !== index)]);
    } catch {
      // not the leaf
    }
  }
  throw new Error('no certificate in the PKCS#12 matches its private key');
};

// Any fixed bytes do: the probe only asks whether the key answers with a signature the leaf verifies.
const PROBE = new TextEncoder().encode('Paraphe signing-key probe');

/**
 * A key behind the port, its chain checked and one probe signature verified with the leaf, so that a KMS pointing
 * at the wrong key fails at start rather than at a signer's seal. Only a success is kept: a key that failed (a KMS
 * briefly down) is asked again next time.
 */
const loadKeyIdentity = (config: KeySigningIdentityConfig): TE.TaskEither<SealingError, SigningIdentity> => {
  let loaded: SigningIdentity | undefined;
  const probe = pipe(
    TE.fromEither(loadKeySigningIdentity(config)),
    TE.chainFirst((identity) => createCadesSignature(identity, sha256Of(PROBE))),
  );
  return async () => {
    if (loaded !== undefined) return E.right(loaded);
    const result = await probe();
    if (E.isRight(result)) loaded = result.right;
    return result;
  };
};

/** Parses the identity once and shares the result: the returned task never parses again. */
export const loadSigningIdentity = (
  config: SigningIdentityConfig,
): TE.TaskEither<SealingError, SigningIdentity> => {
  if (config.kind === 'pem') return TE.fromEither(loadPemSigningIdentity(config));
  if (config.kind === 'key') return loadKeyIdentity(config);
  const once = TE.tryCatch(
    () => parsePkcs12(config),
    (e) =>
      sealingError('SEALING_FAILURE', {
        reason: `invalid PKCS#12: ${e instanceof Error ? e.message : String(e)}`,
      }),
  )();
  return () => once;
};
