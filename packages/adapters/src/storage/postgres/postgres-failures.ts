import type { FailureKind } from '../storage-failure.js';

/**
 * SQLSTATEs of a server that is going away or not yet there, or that has no room for another session: the
 * connection is gone (or was never had) and the same call may succeed once the server is back.
 * 57P01 admin_shutdown (pg_terminate_backend, a fast or immediate shutdown), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, shutting down), 57P05 idle_session_timeout, 25P03
 * idle_in_transaction_session_timeout (both end the session), 53300 too_many_connections, 53000
 * insufficient_resources and 53200 out_of_memory (both pass).
 */
const TRANSIENT_STATES = new Set(['57P01', '57P02', '57P03', '57P05', '25P03', '53300', '53000', '53200']);
/** 40001 serialization_failure, 40P01 deadlock_detected: the transaction may succeed if run again at once. */
const CONFLICT_STATES = new Set(['40001', '40P01']);
/** 57014 query_canceled: the statement timeout (or an operator's pg_cancel_backend) stopped it. */
const TIMEOUT_STATES = new Set(['57014']);
/** 53100 disk_full ("could not extend file", temporary files). */
const DISK_FULL_STATES = new Set(['53100']);

/** What Node's sockets say when the server is down, unreachable, or went away (the `code` of the error). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * What pg and pg-pool (8.x / 3.x) throw or emit, without a code, when a connection is lost: the socket ended
 * (`Connection terminated unexpectedly`, or `Connection terminated` once the client is ending) and every query
 * sent or queued on it fails with it; a later query on that client fails with `…not queryable`.
 */
const LOST_CONNECTION_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * What they say when no answer came in time: pg-pool waited `connectionTimeoutMillis` for a free client (`timeout
 * exceeded…`) or for a new connection (`…due to connection timeout`); pg's own connect timer (`timeout expired`);
 * pg's `query_timeout` (`Query read timeout`).
 */
const TIMEOUT_MESSAGES = new Set([
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'timeout expired',
  'Query read timeout',
]);

const kindOfOne = (cause: unknown): FailureKind => {
  if (typeof cause !== 'object' || cause === null) return 'other';
  const code = String((cause as { code?: unknown }).code ?? '');
  if (CONFLICT_STATES.has(code)) return 'conflict';
  if (DISK_FULL_STATES.has(code)) return 'disk-full';
  if (TIMEOUT_STATES.has(code)) return 'timeout';
  // Class 08: connection exception (08000, 08003 connection_does_not_exist, 08006 connection_failure, 08001…).
  if (TRANSIENT_STATES.has(code) || SOCKET_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))
    return 'transient';
  const message = String((cause as { message?: unknown }).message ?? '');
  if (TIMEOUT_MESSAGES.has(message)) return 'timeout';
  if (LOST_CONNECTION_MESSAGES.has(message)) return 'transient';
  return 'other';
};

/** The errors an error wraps: its `cause`, and those of an AggregateError (Node trying each address of a host). */
const wrapped = (cause: unknown): ReadonlyArray<unknown> => {
  if (typeof cause !== 'object' || cause === null) return [];
  const errors = (cause as { errors?: unknown }).errors;
  return [(cause as { cause?: unknown }).cause, ...(Array.isArray(errors) ? errors : [])].filter(
    (inner) => inner !== undefined,
  );
};

const classifyAt = (cause: unknown, depth: number): FailureKind => {
  const kind = kindOfOne(cause);
  if (kind !== 'other' || depth >= 3) return kind;
  for (const inner of wrapped(cause)) {
    const innerKind = classifyAt(inner, depth + 1);
    if (innerKind !== 'other') return innerKind;
  }
  return 'other';
};

/**
 * What an error of pg, pg-pool or Node's sockets means for a unit of work (see `FailureKind`). An error that says
 * nothing itself is judged by the errors it wraps, a few levels deep.
 */
export const classifyPostgres = (cause: unknown): FailureKind => classifyAt(cause, 0);
