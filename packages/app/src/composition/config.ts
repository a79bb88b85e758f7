import type { SigningKey } from '@paraphe/adapters/pdf';
import {
  type DomainError,
  describeDecodeErrors,
  domainError,
  exactType,
  IntBetween,
  Text,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';

const Url = new t.Type<string, string, unknown>(
  'Url',
  (u): u is string => typeof u === 'string' && URL.canParse(u),
  (u, c) => (typeof u === 'string' && URL.canParse(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const Secret = (minLength: number) =>
  new t.Type<string, string, unknown>(
    `Secret(>=${minLength})`,
    (u): u is string => typeof u === 'string' && u.length >= minLength,
    (u, c) => (typeof u === 'string' && u.length >= minLength ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

/**
 * One of several shapes told apart by `kind`: the member is chosen by its kind, so that a mistake is reported
 * where it is (`storage.filenme`), not as every member failing.
 */
const byKind = <M extends Readonly<Record<string, t.Mixed>>>(name: string, members: M) =>
  new t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown>(
    name,
    (u): u is t.TypeOf<M[keyof M]> => Object.values(members).some((member) => member.is(u)),
    (u, c) => {
      if (typeof u !== 'object' || u === null) return t.failure(u, c);
      const kind = (u as { kind?: unknown }).kind;
      const member = typeof kind === 'string' && Object.hasOwn(members, kind) ? members[kind] : undefined;
      if (member === undefined)
        return t.failure(kind, [...c, { key: 'kind', type: t.keyof(members), actual: kind }]);
      return member.validate(u, c);
    },
    (a) => a,
  );

const StorageConfig = byKind('StorageConfig', {
  memory: exactType({ kind: t.literal('memory') }),
  sqlite: exactType(
    { kind: t.literal('sqlite'), filename: Text(4096) },
    {
      /** Refuse a missing database file instead of creating an empty one. */
      mustExist: t.boolean,
    },
  ),
  postgres: exactType(
    { kind: t.literal('postgres'), connectionString: Text(4096) },
    {
      preparedStatements: t.boolean,
      /** Connecting, or waiting for a free pooled connection (default 5 000; 0: no limit). */
      connectTimeoutMs: IntBetween(0, 600_000),
      /** The server's statement_timeout (default 30 000; 0: none); the client gives up 2 s later. */
      statementTimeoutMs: IntBetween(0, 3_600_000),
      /** The server's idle_in_transaction_session_timeout (default 60 000; 0: none). */
      idleInTransactionTimeoutMs: IntBetween(0, 3_600_000),
    },
  ),
});

const MailConfig = byKind('MailConfig', {
  memory: exactType({ kind: t.literal('memory') }),
  smtp: exactType(
    {
      kind: t.literal('smtp'),
      host: Text(255),
      port: IntBetween(1, 65535),
      from: Text(320),
      messageIdDomain: Text(255),
    },
    {
      secure: t.boolean,
      requireTLS: t.boolean,
      user: t.string,
      password: t.string,
      fromName: Text(200),
    },
  ),
});

const SmsConfig = byKind('SmsConfig', {
  memory: exactType({ kind: t.literal('memory') }),
  twilio: exactType(
    { kind: t.literal('twilio'), baseUrl: Url, accountSid: Text(64), authToken: Secret(8), from: Text(64) },
    { timeoutMs: IntBetween(100, 60_000) },
  ),
});

const SIGNATURE_ALGORITHMS: ReadonlyArray<string> = [
  'rsa-pkcs1v15-sha256',
  'rsa-pss-sha256',
  'ecdsa-p256-sha256',
] satisfies ReadonlyArray<SigningKey['algorithm']>;

const isSigningKey = (u: unknown): u is SigningKey => {
  if (typeof u !== 'object' || u === null) return false;
  const { certificateChain, algorithm, sign } = u as Partial<Record<keyof SigningKey, unknown>>;
  return (
    typeof sign === 'function' &&
    typeof algorithm === 'string' &&
    SIGNATURE_ALGORITHMS.includes(algorithm) &&
    Array.isArray(certificateChain) &&
    certificateChain.length > 0 &&
    certificateChain.every((der) => der instanceof Uint8Array)
  );
};

/** A key behind the signing-key port (KMS, HSM, another process), kept as given: it is an object with a function. */
const SigningKeyValue = new t.Type<SigningKey, SigningKey, unknown>(
  'SigningKey',
  isSigningKey,
  (u, c) => (isSigningKey(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** PAdES B-B, B-T (a signature timestamp), B-LT (the /DSS with revocation data), B-LTA (a document timestamp). */
const PadesLevel = t.keyof({ 'B-B': null, 'B-T': null, 'B-LT': null, 'B-LTA': null }, 'PadesLevel');

/**
 * `level` defaults to B-T with a TSA, B-B without. Above B-B a TSA is required, and certificates naming an OCSP
 * responder or a CRL (B-LT). The generated development identity names neither and has no TSA, so it seals at B-B;
 * for B-T to B-LTA in development, `startDevelopmentTrustServices()` of `@paraphe/adapters/pdf` gives an identity,
 * a TSA and an OCSP responder on loopback to pass as a `pem` identity (as `pnpm demo` does).
 */
const timestamping = { timestampAuthorityUrl: Url, level: PadesLevel };

const SealingConfig = byKind('SealingConfig', {
  development: exactType({ kind: t.literal('development') }, { level: PadesLevel }),
  pem: exactType(
    { kind: t.literal('pem'), privateKeyPem: Secret(64), certificateChainPem: Text(1_000_000) },
    timestamping,
  ),
  pkcs12: exactType(
    { kind: t.literal('pkcs12'), pkcs12Base64: Text(10_000_000), passphrase: t.string },
    timestamping,
  ),
  key: exactType({ kind: t.literal('key'), key: SigningKeyValue }, timestamping),
});

// A level above B-B with no TSA to ask is refused at start, naming the setting at fault.
const checkSealingLevel = (config: ParapheConfig): E.Either<DomainError, ParapheConfig> => {
  const sealing = config.sealing;
  if (sealing.level === undefined || sealing.level === 'B-B') return E.right(config);
  if (sealing.kind === 'development')
    return E.left(domainError('INVALID_CONFIG', { fields: 'sealing.level' }));
  return sealing.timestampAuthorityUrl === undefined
    ? E.left(domainError('INVALID_CONFIG', { fields: 'sealing.timestampAuthorityUrl' }))
    : E.right(config);
};

export const ParapheConfigCodec = exactType(
  {
    /** The signer's link is this URL followed by the token (`https://crm.example.com/sign/`). */
    signingBaseUrl: Url,
    /** The one secret (≥ 32 characters, kept out of the database) from which SMS-code and link keys are derived. */
    secretKey: Secret(32),
    /** Chosen explicitly: `{ kind: 'memory' }` loses everything at restart, so it is never a silent default. */
    storage: StorageConfig,
    mail: MailConfig,
    sms: SmsConfig,
    sealing: SealingConfig,
    /** CRM webhooks: each lifecycle change POSTed, signed with HMAC-SHA256. */
    webhook: t.union([
      t.null,
      exactType({ url: Url, secret: Secret(16) }, { allowPrivateNetwork: t.boolean }),
    ]),
    delivery: exactType(
      {
        maxAttempts: IntBetween(1, 50),
        baseDelayMs: IntBetween(0, 3_600_000),
        maxDelayMs: IntBetween(0, 86_400_000),
      },
      {
        /**
         * How long a request may spend delivering what it produced before it answers (default 1 000 ms); the worker
         * delivers the rest. The SMS code has its own timeout (`sms.timeoutMs`).
         */
        requestBudgetMs: IntBetween(0, 30_000),
      },
    ),
    /** `after-each-change` delivers the outbox right after each use case; `manual` leaves it to a periodic job. */
    dispatch: t.union([t.literal('after-each-change'), t.literal('manual')]),
  },
  {
    /** The certificate of signature is in the tenant's language; `secondLanguage` prints every label in it too. */
    certificate: exactType({}, { secondLanguage: t.keyof({ fr: null, en: null }, 'Language') }),
  },
  'ParapheConfig',
);

/** The configuration as Paraphe runs with it, every default filled in. */
export type ParapheConfig = t.TypeOf<typeof ParapheConfigCodec>;

export const defaultConfig = {
  mail: { kind: 'memory' },
  sms: { kind: 'memory' },
  sealing: { kind: 'development' },
  webhook: null,
  delivery: { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 3_600_000 },
  dispatch: 'after-each-change',
} as const;

type Defaulted = keyof typeof defaultConfig;

const DEFAULT_REQUEST_BUDGET_MS = 1_000;

/** How long a request may spend delivering its own messages. */
export const requestBudgetMs = (config: ParapheConfig): number =>
  config.delivery.requestBudgetMs ?? DEFAULT_REQUEST_BUDGET_MS;

/** What a CRM writes: `signingBaseUrl`, `secretKey` and `storage` are required, the rest has defaults. */
export type ParapheConfigInput = Omit<ParapheConfig, Defaulted> & Partial<Pick<ParapheConfig, Defaulted>>;

/**
 * Decodes the configuration a CRM gives, defaults filled in: a missing, misspelt or unknown key at any depth, or a
 * bad value, is `INVALID_CONFIG` naming every path (`storage.filenme`), so a deployment fails at start.
 */
export const decodeConfig = (input: unknown): E.Either<DomainError, ParapheConfig> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return E.left(domainError('INVALID_CONFIG', { fields: '(root)' }));
  return pipe(
    ParapheConfigCodec.decode({ ...defaultConfig, ...input }),
    E.mapLeft((errors: t.Errors) => domainError('INVALID_CONFIG', { fields: describeDecodeErrors(errors) })),
    E.chain(checkSealingLevel),
  );
};
