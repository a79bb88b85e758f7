import { appendFileSync } from 'node:fs';
import {
  type InMemoryCrm,
  type InMemorySmsSender,
  makeInMemoryCrm,
  makeInMemorySmsSender,
} from '@paraphe/adapters';
import { type AdapterOverrides, createParaphe, type Paraphe } from '@paraphe/app';
import type {
  CertificateRenderer,
  DocumentSealer,
  DomainError,
  Mailer,
  OutgoingEmail,
  StorageError,
  UserActor,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { sampleQuotePdf } from '../sample-quote.js';

export const TENANT = 'acme';
export const admin: UserActor = { kind: 'user', tenantId: TENANT, userId: 'alice', role: 'admin' };
export const seller: UserActor = { kind: 'user', tenantId: TENANT, userId: 'bob', role: 'user' };
export const SIGNING_BASE_URL = 'https://crm.example.com/sign/';
/** Every instance and process of one test shares this key, or none could unseal another's links. */
const SECRET_KEY = 'storage-tests-secret-key-0123456789abcdef';

export type StorageChoice =
  | { readonly kind: 'sqlite'; readonly filename: string; readonly mustExist?: boolean }
  | { readonly kind: 'postgres'; readonly connectionString: string };

let pdf: Promise<Uint8Array> | undefined;
const quotePdf = (): Promise<Uint8Array> => {
  pdf ??= sampleQuotePdf('D-STORAGE', 'Atelier Martin SARL');
  return pdf;
};

/** A CRM that knows the seller, and each quote (a complete contact, a readable PDF) as soon as it is put. */
export interface StorageCrm extends InMemoryCrm {
  readonly addQuote: (quoteId: string) => Promise<void>;
}

export const makeStorageCrm = (): StorageCrm => {
  const crm = makeInMemoryCrm();
  crm.putUser(TENANT, { id: 'bob', name: 'Bob Leroy', email: 'bob@acme.example' });
  return Object.assign(crm, {
    addQuote: async (quoteId: string) =>
      crm.putQuote({
        id: quoteId,
        tenantId: TENANT,
        number: `D-${quoteId}`,
        ownerId: 'bob',
        contact: {
          id: `c-${quoteId}`,
          firstName: 'Claire',
          lastName: 'Martin',
          email: 'claire.martin@example.fr',
          mobile: '06 12 34 56 78',
        },
        document: { fileName: `${quoteId}.pdf`, bytes: await quotePdf() },
      }),
  });
};

/**
 * A stand-in for PAdES sealing and the certificate, labelled as such wherever it is used: it keeps PDF work
 * (hundreds of milliseconds) out of tests and figures that are about storage.
 */
export const fakeSealer: DocumentSealer = {
  inspect: () => TE.right({ pageCount: 1 }),
  seal: (request) =>
    TE.right(new Uint8Array([...request.document, ...Buffer.from(`\n%sealed ${request.procedureId}\n`)])),
};
export const fakeCertificates: CertificateRenderer = {
  render: (data) => TE.right(new Uint8Array(Buffer.from(`%PDF-1.7 certificate ${data.procedureId}`))),
};

/** A mailer that appends the id of every email it accepts to a file, synchronously, before it answers. */
export interface FileMailer extends Mailer {
  /** The signing links this process delivered, by procedure id. */
  readonly links: ReadonlyMap<string, string>;
}

export const makeFileMailer = (logFile: string): FileMailer => {
  const links = new Map<string, string>();
  return {
    links,
    send: (email: OutgoingEmail) => {
      // appendFileSync returns once the write reached the kernel, so a SIGKILL right after cannot lose it.
      appendFileSync(logFile, `${email.id}\n`);
      const link = email.template?.signingLink;
      if (email.kind === 'invitation' && link !== undefined) links.set(email.procedureId, link);
      return TE.right({ providerMessageId: email.id });
    },
  };
};

export interface StorageApp {
  readonly paraphe: Paraphe;
  readonly crm: StorageCrm;
  readonly sms: InMemorySmsSender;
}

export interface StorageAppOptions {
  readonly storage: StorageChoice;
  readonly crm?: StorageCrm;
  readonly dispatch?: 'after-each-change' | 'manual';
  readonly fakePdf?: boolean;
  readonly adapters?: AdapterOverrides;
}

/** One app instance on the given storage, as a CRM would build it; throws when it cannot start. */
export const startStorageApp = async (options: StorageAppOptions): Promise<StorageApp> => {
  const created = await createStorageApp(options);
  if (E.isLeft(created)) throw new Error(`createParaphe failed: ${created.left.code}`);
  return created.right;
};

/** `startStorageApp`, with createParaphe's Left as is (a database it cannot open fails the start). */
export const createStorageApp = async (
  options: StorageAppOptions,
): Promise<E.Either<DomainError, StorageApp>> => {
  const crm = options.crm ?? makeStorageCrm();
  const sms = makeInMemorySmsSender();
  const created = await createParaphe({
    crm,
    notifier: crm,
    config: {
      signingBaseUrl: SIGNING_BASE_URL,
      secretKey: SECRET_KEY,
      storage: options.storage,
      dispatch: options.dispatch ?? 'after-each-change',
    },
    adapters: {
      sms,
      ...(options.fakePdf === true ? { sealer: fakeSealer, certificates: fakeCertificates } : {}),
      ...options.adapters,
    },
  });
  return E.map((paraphe: Paraphe): StorageApp => ({ paraphe, crm, sms }))(created);
};

/** Unwraps a Right, throwing with the error code otherwise. */
export const right = async <A>(task: TE.TaskEither<DomainError | StorageError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`Expected Right, got ${JSON.stringify(result.left)}`);
  return result.right;
};

/** `sent`, or the error code followed by the codes of its reasons (`SEND_REFUSED:NO_CREDIT_AVAILABLE`). */
export const outcomeOf = (result: E.Either<DomainError, unknown>): string => {
  if (E.isRight(result)) return 'sent';
  const reasons = (result.left as { readonly reasons?: ReadonlyArray<DomainError> }).reasons ?? [];
  return [result.left.code, ...reasons.map((r) => r.code)].join(':');
};

export const SEND_EMAIL = { subject: 'Votre devis', body: 'Bonjour,\n\n{{signing_link}}\n' } as const;

/** The token at the end of a signing link. */
export const tokenOf = (link: string): string => link.slice(link.lastIndexOf('/') + 1);

/** The six-digit code of the last SMS of a procedure. */
export const lastCode = (sms: InMemorySmsSender, procedureId: string): string => {
  const text = [...sms.sent].reverse().find((m) => m.procedureId === procedureId)?.text;
  const code = text?.match(/\d{6}/)?.[0];
  if (code === undefined) throw new Error(`no code for ${procedureId}`);
  return code;
};
