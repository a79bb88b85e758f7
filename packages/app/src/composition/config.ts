import { decodeWith, IntBetween, Text } from '@paraphe/domain';
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

const StorageConfig = t.union([
  t.type({ kind: t.literal('memory') }),
  t.intersection([
    t.type({ kind: t.literal('sqlite'), filename: Text(4096) }),
    /** `mustExist`: refuse a missing database file instead of creating an empty one. */
    t.partial({ mustExist: t.boolean }),
  ]),
  t.intersection([
    t.type({ kind: t.literal('postgres'), connectionString: Text(4096) }),
    t.partial({
      preparedStatements: t.boolean,
      /** Connecting, or waiting for a free pooled connection (default 5 000; 0: no limit). */
      connectTimeoutMs: IntBetween(0, 600_000),
      /** The server's statement_timeout (default 30 000; 0: none); the client gives up 2 s later. */
      statementTimeoutMs: IntBetween(0, 3_600_000),
      /** The server's idle_in_transaction_session_timeout (default 60 000; 0: none). */
      idleInTransactionTimeoutMs: IntBetween(0, 3_600_000),
    }),
  ]),
]);

const MailConfig = t.union([
  t.type({ kind: t.literal('memory') }),
  t.intersection([
    t.type({
      kind: t.literal('smtp'),
      host: Text(255),
      port: IntBetween(1, 65535),
      from: Text(320),
      messageIdDomain: Text(255),
    }),
    t.partial({
      secure: t.boolean,
      requireTLS: t.boolean,
      user: t.string,
      password: t.string,
      fromName: Text(200),
    }),
  ]),
]);

const SmsConfig = t.union([
  t.type({ kind: t.literal('memory') }),
  t.intersection([
    t.type({
      kind: t.literal('twilio'),
      baseUrl: Url,
      accountSid: Text(64),
      authToken: Secret(8),
      from: Text(64),
    }),
    t.partial({ timeoutMs: IntBetween(100, 60_000) }),
  ]),
]);

const SealingConfig = t.union([
  t.type({ kind: t.literal('development') }),
  t.intersection([
    t.type({ kind: t.literal('pem'), privateKeyPem: Secret(64), certificateChainPem: Text(1_000_000) }),
    t.partial({ timestampAuthorityUrl: Url }),
  ]),
  t.intersection([
    t.type({ kind: t.literal('pkcs12'), pkcs12Base64: Text(10_000_000), passphrase: t.string }),
    t.partial({ timestampAuthorityUrl: Url }),
  ]),
]);

export const ParapheConfigCodec = t.type({
  /** The signer's link is this URL followed by the token (`https://crm.example.com/sign/`). */
  signingBaseUrl: Url,
  /** The one secret (≥ 32 characters, kept out of the database) from which SMS-code and link keys are derived. */
  secretKey: Secret(32),
  storage: StorageConfig,
  mail: MailConfig,
  sms: SmsConfig,
  sealing: SealingConfig,
  /** CRM webhooks: each lifecycle change POSTed, signed with HMAC-SHA256. */
  webhook: t.union([
    t.null,
    t.intersection([t.type({ url: Url, secret: Secret(16) }), t.partial({ allowPrivateNetwork: t.boolean })]),
  ]),
  delivery: t.type({
    maxAttempts: IntBetween(1, 50),
    baseDelayMs: IntBetween(0, 3_600_000),
    maxDelayMs: IntBetween(0, 86_400_000),
  }),
  /** `after-each-change` delivers the outbox right after each use case; `manual` leaves it to a periodic job. */
  dispatch: t.union([t.literal('after-each-change'), t.literal('manual')]),
});

export type ParapheConfig = t.TypeOf<typeof ParapheConfigCodec>;

export const defaultConfig = {
  storage: { kind: 'memory' },
  mail: { kind: 'memory' },
  sms: { kind: 'memory' },
  sealing: { kind: 'development' },
  webhook: null,
  delivery: { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 3_600_000 },
  dispatch: 'after-each-change',
} as const;

/** Decodes the configuration a CRM gives, defaults filled in; a bad value is `INVALID_INPUT` naming the field. */
export const decodeConfig = (input: Readonly<Record<string, unknown>>) =>
  decodeWith(ParapheConfigCodec)({ ...defaultConfig, ...input });
