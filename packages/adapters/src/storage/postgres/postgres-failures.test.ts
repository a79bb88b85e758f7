import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { FailureKind } from '../storage-failure.js';
import { classifyPostgres } from './postgres-failures.js';

/** An error as the server sends it: pg makes a DatabaseError carrying the SQLSTATE in `code`. */
const fromServer = (code: string, message = 'server error'): Error =>
  Object.assign(new pg.DatabaseError(message, 0, 'error'), { code, severity: 'FATAL' });

/** An error of Node's sockets: an errno name in `code`. */
const fromSocket = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe('classifyPostgres', () => {
  it.each<[string, string, FailureKind]>([
    ['57P01', 'admin_shutdown: pg_terminate_backend, a fast shutdown', 'transient'],
    ['57P02', 'crash_shutdown', 'transient'],
    ['57P03', 'cannot_connect_now: starting up, shutting down', 'transient'],
    ['57P05', 'idle_session_timeout', 'transient'],
    ['25P03', 'idle_in_transaction_session_timeout', 'transient'],
    ['08000', 'connection_exception', 'transient'],
    ['08003', 'connection_does_not_exist', 'transient'],
    ['08006', 'connection_failure', 'transient'],
    ['08001', 'sqlclient_unable_to_establish_sqlconnection', 'transient'],
    ['08P01', 'protocol_violation', 'transient'],
    ['53300', 'too_many_connections', 'transient'],
    ['53200', 'out_of_memory', 'transient'],
    ['57014', 'query_canceled: the statement timeout', 'timeout'],
    ['53100', 'disk_full', 'disk-full'],
    ['40001', 'serialization_failure', 'conflict'],
    ['40P01', 'deadlock_detected', 'conflict'],
    ['23505', 'unique_violation', 'other'],
    ['42P01', 'undefined_table', 'other'],
    ['57P04', 'database_dropped', 'other'],
    ['XX000', 'internal_error', 'other'],
  ])('SQLSTATE %s (%s) is %s', (code, _name, kind) => {
    expect(classifyPostgres(fromServer(code))).toBe(kind);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])(
    'the socket error %s is transient',
    (code) => {
      expect(classifyPostgres(fromSocket(code))).toBe('transient');
    },
  );

  it.each<[string, FailureKind]>([
    // pg, when the socket closes under a client, and for each later query on that client.
    ['Connection terminated unexpectedly', 'transient'],
    ['Connection terminated', 'transient'],
    ['Client has encountered a connection error and is not queryable', 'transient'],
    // pg-pool waiting for a free client, or for a new connection; pg's own connect timer; pg's query_timeout.
    ['timeout exceeded when trying to connect', 'timeout'],
    ['Connection terminated due to connection timeout', 'timeout'],
    ['timeout expired', 'timeout'],
    ['Query read timeout', 'timeout'],
    // A bug, a closed storage: no use trying again.
    ['Cannot use a pool after calling end on the pool', 'other'],
    ['Client was passed a null or undefined query', 'other'],
  ])('pg says "%s": %s', (message, kind) => {
    expect(classifyPostgres(new Error(message))).toBe(kind);
  });

  it('judges a wrapping error by what it wraps: a cause, or the attempts of an AggregateError', () => {
    expect(classifyPostgres(new Error('unit of work failed', { cause: fromServer('57P01') }))).toBe(
      'transient',
    );
    const everyAddress = new AggregateError(
      [fromSocket('ECONNREFUSED'), fromSocket('ECONNREFUSED')],
      'connect',
    );
    expect(classifyPostgres(everyAddress)).toBe('transient');
    expect(classifyPostgres(new Error('outer', { cause: new Error('inner') }))).toBe('other');
  });

  it('is other for what is not an error at all', () => {
    for (const cause of [undefined, null, 'ECONNRESET', 42, {}])
      expect(classifyPostgres(cause)).toBe('other');
  });
});
