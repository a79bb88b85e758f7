/**
 * A CRM that installed the packed packages with npm (examples/src/consumer.int.test.ts builds, packs and installs
 * them into a project of its own, type-checks this file with `strict` and `skipLibCheck: false`, then runs it):
 *
 *   node dist/consumer.js story <dir>    activate, credits, send, open, code, verify, sign, download, verify
 *   node dist/consumer.js stray <dir>    a quote whose page holds a stray `)`: sealed or refused, in bounded time
 *   node dist/consumer.js drivers <dir>  a driver the configuration names is not installed: INVALID_CONFIG names it
 *   node dist/consumer.js start <dir>    Paraphe created on SQLite: what createParaphe answers, as it is
 *
 * Each prints one JSON line; anything unexpected throws (exit code 1).
 */
import { join } from 'node:path';
import { makeInMemoryMailer, makeInMemorySmsSender } from '@paraphe/adapters';
import { verifySignedPdf } from '@paraphe/adapters/pdf';
import { type AsyncQuoteSource, createParapheAsync, type ParapheAsync, type Result } from '@paraphe/app';
import type { CrmUser, FollowUpAction, Quote, UserActor } from '@paraphe/domain';

const TENANT = 'acme';
const admin: UserActor = { kind: 'user', tenantId: TENANT, userId: 'alice', role: 'admin' };
const seller: UserActor = { kind: 'user', tenantId: TENANT, userId: 'bob', role: 'user' };
const browser = { ip: '203.0.113.7', userAgent: 'consumer-test' };

/** A one-page PDF drawn by `content`, written by hand: objects, a cross-reference table with exact offsets. */
const onePagePdf = (content: string): Uint8Array => {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
};

const quote = (id: string, content: string): Quote => ({
  id,
  tenantId: TENANT,
  number: `D-${id}`,
  ownerId: 'bob',
  contact: {
    id: 'c1',
    firstName: 'Claire',
    lastName: 'Martin',
    email: 'claire@client.example',
    mobile: '+33612345678',
  },
  document: { fileName: `${id}.pdf`, bytes: onePagePdf(content) },
});

/** The CRM, as most Node teams would write it: async functions over its own data. */
const crm = (quotes: ReadonlyArray<Quote>): AsyncQuoteSource & { readonly actions: FollowUpAction[] } => {
  const users: ReadonlyArray<CrmUser> = [
    { id: 'alice', name: 'Alice Admin', email: 'alice@acme.example' },
    { id: 'bob', name: 'Bob Vendeur', email: 'bob@acme.example' },
  ];
  const actions: FollowUpAction[] = [];
  return {
    actions,
    getQuote: async (tenantId, quoteId) =>
      quotes.find((q) => q.tenantId === tenantId && q.id === quoteId) ?? null,
    getUser: async (tenantId, userId) =>
      tenantId === TENANT ? (users.find((u) => u.id === userId) ?? null) : null,
    createFollowUpAction: async (action) => {
      if (!actions.some((a) => a.id === action.id)) actions.push(action);
    },
  };
};

/** A call answered with a typed error. */
class Refused extends Error {
  constructor(
    readonly step: string,
    readonly code: string,
  ) {
    super(`${step}: ${code}`);
  }
}

const must = <A>(step: string, result: Result<A>): A => {
  if (!result.ok) throw new Refused(step, result.error.code);
  return result.value;
};

const start = async (directory: string, quotes: ReadonlyArray<Quote>) => {
  const mailer = makeInMemoryMailer();
  const sms = makeInMemorySmsSender();
  const paraphe = must(
    'createParapheAsync',
    await createParapheAsync({
      crm: crm(quotes),
      config: {
        signingBaseUrl: 'https://crm.example.com/sign/',
        secretKey: 'consumer-test-secret-key-of-at-least-32-characters',
        storage: { kind: 'sqlite', filename: join(directory, 'paraphe.db') },
      },
      adapters: { mailer, sms },
    }),
  );
  must('activate', await paraphe.admin.activate(admin));
  must('orderCredits', await paraphe.admin.orderCredits(admin, { quantity: 2, orderReference: 'PO-1' }));
  return { paraphe, mailer, sms };
};

/** Sends the quote, then the signer opens the link, asks for a code, types it and signs. */
const sendAndSign = async (
  paraphe: ParapheAsync,
  mailer: ReturnType<typeof makeInMemoryMailer>,
  sms: ReturnType<typeof makeInMemorySmsSender>,
  quoteId: string,
) => {
  const sent = must(
    'send',
    await paraphe.sender.send(seller, {
      quoteId,
      subject: 'Your quote',
      body: 'Sign here: {{signing_link}}',
      idempotencyKey: `mail-${quoteId}`,
    }),
  );
  const link = mailer.sent.find((m) => m.procedureId === sent.id && m.kind === 'invitation')?.template
    ?.signingLink;
  if (link === undefined) throw new Error('no invitation with a signing link');
  const token = link.slice(link.lastIndexOf('/') + 1);
  must('open', await paraphe.signer.open(token, browser));
  must('requestCode', await paraphe.signer.requestCode(token, browser));
  const code = sms.sent.at(-1)?.text.match(/\d{6}/)?.[0];
  if (code === undefined) throw new Error('no code in the SMS');
  const verified = must('verifyCode', await paraphe.signer.verifyCode(token, code, browser));
  if (verified.outcome !== 'verified') throw new Error(`the right code was ${verified.outcome}`);
  return { sent, signed: await paraphe.signer.sign(token, true, browser) };
};

const story = async (directory: string) => {
  const { paraphe, mailer, sms } = await start(directory, [
    quote('q1', 'BT /F1 24 Tf 72 760 Td (Quote q1: 1,200.00 EUR) Tj ET'),
  ]);
  const { sent, signed } = await sendAndSign(paraphe, mailer, sms, 'q1');
  if (must('sign', signed).status !== 'signed') throw new Error('not signed');
  const credits = must('getCredits', await paraphe.sender.getCredits(seller));
  const file = must('downloadSignedDocument', await paraphe.sender.downloadSignedDocument(seller, sent.id));
  const view = must('getProcedure', await paraphe.sender.getProcedure(seller, sent.id));
  const report = await verifySignedPdf(file.bytes, { originalSha256: view.documentSha256 });
  const checked = must(
    'verifySignedDocument',
    await paraphe.sender.verifySignedDocument(seller, sent.id, file.bytes),
  );
  await paraphe.close();
  if (!report.valid || !checked.valid)
    throw new Error(`the signed PDF does not verify: ${JSON.stringify({ report, checked }).slice(0, 3000)}`);
  return { status: view.status, credits, signatures: report.signatures.length, bytes: file.bytes.length };
};

const stray = async (directory: string) => {
  const { paraphe, mailer, sms } = await start(directory, [quote('q2', '0 0 m ) 100 700 l S')]);
  const started = performance.now();
  // Sealed, or refused with a typed error at any step; anything else (a throw, a hang) fails the test.
  const outcome = await sendAndSign(paraphe, mailer, sms, 'q2').then(
    ({ signed }) => (signed.ok ? signed.value.status : `sign: ${signed.error.code}`),
    (error: unknown) => {
      if (error instanceof Refused) return error.message;
      throw error;
    },
  );
  await paraphe.close();
  return { outcome, ms: Math.round(performance.now() - started) };
};

/** Only better-sqlite3 is installed: PostgreSQL and SMTP are named, and refused with the package to install. */
const drivers = async (directory: string) => {
  const base = { signingBaseUrl: 'https://crm.example.com/sign/', secretKey: 'x'.repeat(40) };
  const postgres = await createParapheAsync({
    crm: crm([]),
    config: { ...base, storage: { kind: 'postgres', connectionString: 'postgresql://127.0.0.1:1/crm' } },
  });
  const smtp = await createParapheAsync({
    crm: crm([]),
    config: {
      ...base,
      storage: { kind: 'sqlite', filename: join(directory, 'smtp.db') },
      mail: {
        kind: 'smtp',
        host: '127.0.0.1',
        port: 1,
        from: 'sign@acme.example',
        messageIdDomain: 'acme.example',
      },
    },
  });
  const refused = [postgres, smtp].map((created) => (created.ok ? 'created' : created.error.message.en));
  if (postgres.ok || postgres.error.details?.install !== 'pg') throw new Error(`postgres: ${refused[0]}`);
  if (smtp.ok || smtp.error.details?.install !== 'nodemailer') throw new Error(`smtp: ${refused[1]}`);
  return { refused };
};

/** What createParaphe answers on SQLite (pnpm route: before and after better-sqlite3's build is approved). */
const created = async (directory: string) => {
  const answer = await createParapheAsync({
    crm: crm([]),
    config: {
      signingBaseUrl: 'https://crm.example.com/sign/',
      secretKey: 'x'.repeat(40),
      storage: { kind: 'sqlite', filename: join(directory, 'start.db') },
    },
  });
  if (answer.ok) await answer.value.close();
  return answer.ok
    ? { created: true }
    : {
        created: false,
        code: answer.error.code,
        details: answer.error.details,
        message: answer.error.message,
      };
};

const modes: Readonly<Record<string, (directory: string) => Promise<object>>> = {
  story,
  stray,
  drivers,
  start: created,
};
const [mode = '', directory = '.'] = process.argv.slice(2);
const run = modes[mode];
if (run === undefined) throw new Error(`usage: node dist/consumer.js story|stray|drivers|start <dir>`);
process.stdout.write(`${JSON.stringify({ mode, ...(await run(directory)) })}\n`);
