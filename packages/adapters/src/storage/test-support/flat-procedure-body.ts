import type { Sha256Hex } from '@paraphe/domain';

// A procedure as the one-signer version (before issue #18) stored it: what every store must still read, and what the
// schema migrations must keep findable by its token. Literal on purpose: the domain no longer builds this shape.

/** A 64-character lowercase hex string of one repeated character: a hash the codecs accept. */
export const hex = (c: string): Sha256Hex => c.repeat(64) as Sha256Hex;

/** One event of a flat procedure's timeline (its hashes well formed; the codecs do not recompute them). */
export const event = (sequence: number, type: string, at: string, data: Record<string, unknown> = {}) => ({
  type,
  at,
  actor:
    type === 'procedure_created'
      ? 'sender'
      : type === 'expired' || type === 'invitation_sent'
        ? 'system'
        : 'signer',
  data,
  sequence,
  previousHash: hex(String(sequence % 10)),
  hash: hex(String((sequence + 1) % 10)),
});

/** A procedure body exactly as the one-signer version stored it (JSON, dates as ISO strings). */
export const flatBody = (change: Record<string, unknown> = {}) => ({
  id: 'p-old',
  tenantId: 'tenant-a',
  quoteId: 'quote-7',
  quoteNumber: 'Q-7',
  senderId: 'user-1',
  signer: { name: 'Ada Lovelace', email: 'ada@example.com', mobile: '+33612345678' },
  language: 'fr',
  timeZone: 'Europe/Paris',
  document: { fileName: 'quote-7.pdf', sha256: hex('a'), byteLength: 1234 },
  tokenHash: hex('b'),
  sealedToken: 'sealed-old',
  idempotencyKey: 'key-old',
  status: 'verified',
  createdAt: '2025-03-03T09:00:00.000Z',
  deadline: '2025-03-18T09:00:00.000Z',
  smsPolicy: {
    digits: 6,
    validitySeconds: 300,
    maxWrongAttemptsPerCode: 3,
    resendCooldownSeconds: 30,
    maxCodesPerProcedure: 5,
  },
  sms: {
    codes: [
      {
        hash: hex('c'),
        issuedAt: '2025-03-03T09:03:00.000Z',
        expiresAt: '2025-03-03T09:08:00.000Z',
        wrongAttempts: 0,
        status: 'used',
      },
    ],
    verifiedAt: '2025-03-03T09:05:00.000Z',
  },
  credit: 'reserved',
  remindersSent: 1,
  events: [
    event(0, 'procedure_created', '2025-03-03T09:00:00.000Z', { credit: 'reserved' }),
    event(1, 'invitation_sent', '2025-03-03T09:00:01.000Z'),
    event(2, 'opened', '2025-03-03T09:01:00.000Z'),
    event(3, 'code_sent', '2025-03-03T09:03:00.000Z', { codeNumber: 1 }),
    event(4, 'code_verified', '2025-03-03T09:05:00.000Z'),
  ],
  version: 5,
  ...change,
});

/** The `procedures` columns a flat body was stored with, in the order of the table's insert below. */
export const flatRowValues = (body: ReturnType<typeof flatBody>): ReadonlyArray<unknown> => [
  body.id,
  body.tenantId,
  body.quoteId,
  body.tokenHash,
  body.idempotencyKey,
  body.status,
  Date.parse(body.createdAt),
  Date.parse(body.deadline),
  body.version,
  JSON.stringify(body),
];

/** The insert of one `procedures` row, as the schema before signer_tokens had it (`$n` placeholders). */
export const insertFlatRow = `insert into procedures
  (id, tenant_id, quote_id, token_hash, idempotency_key, status, created_at, deadline, version, body)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;
