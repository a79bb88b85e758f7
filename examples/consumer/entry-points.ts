/**
 * Every entry point's declarations, in the consumer's program, so that `tsc` with `skipLibCheck: false` checks them
 * all: the core, each backend (the consumer installed better-sqlite3, hono and @hono/node-server, not pg nor
 * nodemailer, whose types the declarations do not need), the testing entry, app, domain.
 */
import type * as Core from '@paraphe/adapters';
import type * as Http from '@paraphe/adapters/http';
import type * as Pdf from '@paraphe/adapters/pdf';
import type * as Postgres from '@paraphe/adapters/postgres';
import type * as Smtp from '@paraphe/adapters/smtp';
import type * as Sqlite from '@paraphe/adapters/sqlite';
import type * as Testing from '@paraphe/adapters/testing';
import type * as Twilio from '@paraphe/adapters/twilio';
import type * as Webhook from '@paraphe/adapters/webhook';
import type * as App from '@paraphe/app';
import type * as Domain from '@paraphe/domain';

export type EntryPoints = [
  typeof Core,
  typeof Http,
  typeof Pdf,
  typeof Postgres,
  typeof Smtp,
  typeof Sqlite,
  typeof Testing,
  typeof Twilio,
  typeof Webhook,
  typeof App,
  typeof Domain,
];
