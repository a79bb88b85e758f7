import { performance } from 'node:perf_hooks';
import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  metrics,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { DomainError, LedgerEntry, SignatureProcedure } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { UseCaseDependencies } from '../use-cases/dependencies.js';

/** The instrumentation scope; metric and span names are written in the app README ("Operators can see"). */
const SCOPE = '@paraphe/app';

/** Attribute names: ids and codes only, never a secret (an SMS code, a link or its token, a key). */
const TENANT = 'paraphe.tenant.id';
const PROCEDURE = 'paraphe.procedure.id';
const CALL = 'paraphe.call';
const OUTCOME = 'paraphe.outcome';
const CHANNEL = 'paraphe.channel';
const REASON = 'paraphe.reason';

/** Counters and histograms, taken from the global meter provider when Paraphe is composed: a no-op without an SDK. */
export const makeTelemetry = () => {
  const meter = metrics.getMeter(SCOPE);
  const credits = (movement: string) =>
    meter.createCounter(`paraphe.credits.${movement}`, {
      description: `Credits ${movement}, counted as their ledger entries commit`,
      unit: '{credit}',
    });
  return {
    tracer: trace.getTracer(SCOPE),
    sends: meter.createCounter('paraphe.sends', { description: 'Procedures sent', unit: '{send}' }),
    signatures: meter.createCounter('paraphe.signatures', {
      description: 'Quotes signed',
      unit: '{signature}',
    }),
    credits: {
      purchased: credits('purchased'),
      reserved: credits('reserved'),
      captured: credits('captured'),
      released: credits('released'),
    },
    deliveryFailures: meter.createCounter('paraphe.delivery.failures', {
      description: 'Failed attempts at an email, an SMS, a CRM notification or follow-up',
      unit: '{failure}',
    }),
    sealDuration: meter.createHistogram('paraphe.seal.duration', {
      description: 'Time to seal one PDF (the signed quote or the certificate)',
      unit: 's',
    }),
    requestDuration: meter.createHistogram('paraphe.request.duration', {
      description: 'Time of one facade call, delivery within the request budget included',
      unit: 's',
    }),
  };
};
export type Telemetry = ReturnType<typeof makeTelemetry>;

/** What a facade call learnt of whom it concerns, for its span and metrics: set by the storage as it sees them. */
interface CallSubject {
  tenantId?: string;
  procedureId?: string;
  readonly span: Span;
}
const SUBJECT = createContextKey('paraphe.call-subject');
const subjectIn = (active: Context): CallSubject | undefined =>
  active.getValue(SUBJECT) as CallSubject | undefined;

/** The first tenant, and the first procedure of that tenant, a call is seen to concern. */
const concerns = (subject: CallSubject | undefined, tenantId: string, procedureId?: string) => {
  if (subject === undefined) return;
  if (subject.tenantId === undefined) {
    subject.tenantId = tenantId;
    subject.span.setAttribute(TENANT, tenantId);
  }
  if (procedureId === undefined || subject.procedureId !== undefined || subject.tenantId !== tenantId) return;
  subject.procedureId = procedureId;
  subject.span.setAttribute(PROCEDURE, procedureId);
};

const elapsedSeconds = (started: number) => (performance.now() - started) / 1000;

type AnyCall = (...args: never[]) => TE.TaskEither<DomainError, unknown>;

/**
 * The facade's calls of one area (`sender`, `signer`…), each a span named after its use case (`sender.send`) with the
 * tenant and procedure it concerns and an error status on failure (its code only), timed in `paraphe.request.duration`;
 * a successful `send` and `sign` are counted. The tenant is the caller's for a user's call, else the first procedure
 * the call's storage reads.
 */
export const traced = <U extends object>(telemetry: Telemetry, area: string, useCases: U): U =>
  Object.fromEntries(
    Object.entries(useCases).map(([name, call]) => [
      name,
      (...args: never[]) =>
        async () => {
          const started = performance.now();
          const span = telemetry.tracer.startSpan(`${area}.${name}`, {
            attributes: { [CALL]: `${area}.${name}` },
          });
          const subject: CallSubject = { span };
          const actor = args[0] as unknown;
          if (
            typeof actor === 'object' &&
            actor !== null &&
            typeof (actor as { tenantId?: unknown }).tenantId === 'string'
          )
            concerns(subject, (actor as { tenantId: string }).tenantId);
          // A system call (a sweep) concerns many procedures: its span names none.
          const withSpan = trace.setSpan(context.active(), span);
          const active = area === 'system' ? withSpan : withSpan.setValue(SUBJECT, subject);
          const result = await context.with(active, () => (call as AnyCall)(...args)());
          if (E.isRight(result) && area === 'sender' && name === 'send') {
            const id = (result.right as { readonly id?: unknown }).id;
            if (typeof id === 'string') span.setAttribute(PROCEDURE, id);
          }
          const tenant: Attributes = subject.tenantId === undefined ? {} : { [TENANT]: subject.tenantId };
          if (E.isLeft(result)) span.setStatus({ code: SpanStatusCode.ERROR, message: result.left.code });
          else if (area === 'sender' && name === 'send') telemetry.sends.add(1, tenant);
          else if (area === 'signer' && name === 'sign') telemetry.signatures.add(1, tenant);
          telemetry.requestDuration.record(elapsedSeconds(started), {
            ...tenant,
            [CALL]: `${area}.${name}`,
            [OUTCOME]: E.isLeft(result) ? result.left.code : 'ok',
          });
          span.end();
          return result;
        },
    ]),
  ) as U;

type Storage = UseCaseDependencies['storage'];
type Session = Parameters<Parameters<Storage['unitOfWork']>[0]>[0];

type Found = E.Either<unknown, { readonly _tag: string; readonly value?: SignatureProcedure }>;

const countingLedger = (ledger: Session['ledger'], entries: LedgerEntry[]): Session['ledger'] => ({
  ...ledger,
  append: (appended) => async () => {
    const done = await ledger.append(appended)();
    if (E.isRight(done)) entries.push(...appended);
    return done;
  },
});

const observedProcedures = (
  procedures: Session['procedures'],
  seen: (found: Found) => void,
): Session['procedures'] => ({
  ...procedures,
  get: (id) => async () => {
    const found = await procedures.get(id)();
    seen(found);
    return found;
  },
  findByTokenHash: (hash) => async () => {
    const found = await procedures.findByTokenHash(hash)();
    seen(found);
    return found;
  },
});

/** The storage, telling the current call which procedure it concerns and counting credit movements as they commit. */
const observedStorage = (telemetry: Telemetry, storage: Storage): Storage => ({
  unitOfWork: (work) => async () => {
    const subject = subjectIn(context.active());
    const seen = (
      found: E.Either<unknown, { readonly _tag: string; readonly value?: SignatureProcedure }>,
    ) => {
      if (E.isRight(found) && found.right.value !== undefined)
        concerns(subject, found.right.value.tenantId, found.right.value.id);
    };
    let entries: LedgerEntry[] = [];
    const result = await storage.unitOfWork((session) => {
      entries = [];
      let ledger: Session['ledger'] | undefined;
      let procedures: Session['procedures'] | undefined;
      const observed: Session = {
        get tenants() {
          return session.tenants;
        },
        get documents() {
          return session.documents;
        },
        get outbox() {
          return session.outbox;
        },
        get ledger() {
          ledger ??= countingLedger(session.ledger, entries);
          return ledger;
        },
        get procedures() {
          procedures ??= observedProcedures(session.procedures, seen);
          return procedures;
        },
      };
      return work(observed);
    })();
    if (E.isRight(result))
      for (const entry of entries)
        telemetry.credits[entry.kind].add(entry.kind === 'purchased' ? entry.quantity : 1, {
          [TENANT]: entry.tenantId,
        });
    return result;
  },
});

const isLeft = (answer: unknown): answer is E.Left<{ readonly reason?: unknown; readonly code?: unknown }> =>
  typeof answer === 'object' && answer !== null && (answer as { _tag?: unknown })._tag === 'Left';

/**
 * A port call whose failure is counted in `paraphe.delivery.failures` with its channel, tenant and stable reason. The
 * answer is passed on as it is, whatever it is (the use case checks what a host's port answers).
 */
const countingFailures =
  <A, T extends TE.TaskEither<unknown, unknown>>(
    telemetry: Telemetry,
    channel: string,
    call: (a: A) => T,
    tenantOf: (a: A) => string,
  ) =>
  (a: A): T =>
    (async () => {
      const failed = (reason: unknown) =>
        telemetry.deliveryFailures.add(1, {
          [TENANT]: tenantOf(a),
          [CHANNEL]: channel,
          [REASON]: String(reason),
        });
      try {
        const answer = await call(a)();
        if (isLeft(answer)) failed(answer.left.reason ?? answer.left.code ?? 'UNKNOWN');
        return answer;
      } catch (thrown) {
        failed('THREW');
        throw thrown;
      }
    }) as T;

/**
 * The ports the use cases reach, instrumented at their boundary: credits counted as their ledger entries commit,
 * delivery failures per channel, seal time; the current call learns from the storage whom it concerns. Each port is
 * called as the host gave it (its methods keep their `this`).
 */
export const instrumentedDependencies = <D extends Omit<UseCaseDependencies, 'deliveredMarks'>>(
  telemetry: Telemetry,
  deps: D,
): D => {
  const { mailer, sms, notifier, quotes, sealer } = deps;
  return {
    ...deps,
    storage: observedStorage(telemetry, deps.storage),
    mailer: {
      send: countingFailures(
        telemetry,
        'email',
        (m) => mailer.send(m),
        (m) => m.tenantId,
      ),
    },
    sms: {
      send: countingFailures(
        telemetry,
        'sms',
        (m) => sms.send(m),
        (m) => m.tenantId,
      ),
    },
    notifier: {
      notify: countingFailures(
        telemetry,
        'notification',
        (n) => notifier.notify(n),
        (n) => n.tenantId,
      ),
    },
    quotes: {
      getQuote: (tenantId, quoteId) => quotes.getQuote(tenantId, quoteId),
      getUser: (tenantId, userId) => quotes.getUser(tenantId, userId),
      createFollowUpAction: countingFailures(
        telemetry,
        'follow-up',
        (action) => quotes.createFollowUpAction(action),
        (action) => action.tenantId,
      ),
    },
    sealer: {
      inspect: (document) => sealer.inspect(document),
      seal: (request) => async () => {
        const started = performance.now();
        const sealed = await sealer.seal(request)();
        telemetry.sealDuration.record(elapsedSeconds(started), {
          [OUTCOME]: E.isLeft(sealed) ? sealed.left.code : 'ok',
          'paraphe.seal.subject': request.subject ?? 'document',
        });
        return sealed;
      },
    },
  };
};
