// Prints how fast the pure domain runs: state transitions per second and the balance of a long ledger.
// Figures only: timing assertions would make CI flaky.
import { availableParallelism, loadavg } from 'node:os';
import * as E from 'fp-ts/lib/Either.js';
import {
  balanceOf,
  type CreditBalance,
  createProcedure,
  defaultTenantSettings,
  type EmailAddress,
  expire,
  foldLedger,
  hashCode,
  type LedgerEntry,
  type MobileNumber,
  markSent,
  type NewProcedure,
  open,
  type ProcedureId,
  requestCode,
  type Sha256Hex,
  type SignatureProcedure,
  sha256Hex,
  sign,
  verifyCode,
} from '../src/index.js';

const T0 = new Date('2025-03-20T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const settings = { ...defaultTenantSettings('Bench'), esignatureActive: true };
const balance: CreditBalance = { purchased: 1e9, available: 1e9, reserved: 0, captured: 0 };
const document = new TextEncoder().encode('%PDF-1.7 bench');
const documentSha256 = sha256Hex(document);
// A literal, as the send use case builds it (a spread copy with an added key would be a slow dictionary object).
const newProcedure = (id: ProcedureId): NewProcedure => ({
  id,
  tenantId: 'tenant-1',
  quoteId: 'quote-1',
  quoteNumber: 'Q-1',
  senderId: 'user-1',
  approved: {
    signers: [
      {
        role: 'contact',
        reference: 'contact-1',
        identity: {
          name: 'Camille Martin',
          email: 'c@example.fr' as EmailAddress,
          mobile: '+33612345678' as MobileNumber,
        },
      },
    ],
    signingOrder: 'sequential',
    document: { fileName: 'q.pdf', bytes: document },
  },
  documentSha256,
  tokens: [{ tokenHash: sha256Hex('token') as Sha256Hex, sealedToken: 'sealed-token' }],
  settings,
  balance,
});
const signInput = {
  consent: true,
  consentText: 'Bon pour accord',
  signedSha256: sha256Hex('signed') as Sha256Hex,
};

const must = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

/** One signed procedure: create, send, open, code, verify, sign. Six transitions. */
const signedPath = (input: NewProcedure, codeHash: string): SignatureProcedure => {
  let p = must(createProcedure(input, T0)).procedure;
  p = must(markSent(later(1_000))(p)).procedure;
  p = must(open(undefined, later(60_000))(p)).procedure;
  p = must(requestCode(codeHash, undefined, later(61_000))(p)).procedure;
  p = must(verifyCode(codeHash, undefined, later(90_000))(p)).procedure;
  return must(sign(signInput, later(120_000))(p)).procedure;
};

/** One procedure left to expire: create, send, expire. Three transitions. */
const expiredPath = (input: NewProcedure): SignatureProcedure => {
  let p = must(createProcedure(input, T0)).procedure;
  p = must(markSent(later(1_000))(p)).procedure;
  return must(expire(later(16 * 86_400_000))(p)).procedure;
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

interface Rate {
  /** Per second of wall-clock time. */
  readonly wall: number;
  /** Per second of this process's CPU time: closer to an idle machine's figure when the machine is shared. */
  readonly cpu: number;
}

const transitionsPerSecond = (rounds: number): Rate => {
  // Codes are hashed by the use case before the transition runs: not part of its cost. The command (a plain
  // literal) is built in the loop, as a caller would.
  const ids = Array.from({ length: rounds }, (_, i) => `proc-${i}` as ProcedureId);
  const hashes = ids.map((id) => hashCode('bench-key', id, '123456'));
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let transitions = 0;
  for (let i = 0; i < rounds; i++) {
    // Four signed for one expired: most procedures in a healthy tenant get signed.
    if (i % 5 === 4) {
      expiredPath(newProcedure(ids[i]!));
      transitions += 3;
    } else {
      signedPath(newProcedure(ids[i]!), hashes[i]!);
      transitions += 6;
    }
  }
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: transitions / wallSeconds, cpu: transitions / ((cpu.user + cpu.system) / 1e6) };
};

const ledgerOf = (size: number): LedgerEntry[] => {
  const entries: LedgerEntry[] = [
    { kind: 'purchased', tenantId: 't', quantity: size, orderReference: 'o', at: T0 },
  ];
  for (let i = 0; entries.length < size; i++) {
    const procedureId = `p${i}`;
    entries.push({ kind: 'reserved', tenantId: 't', procedureId, at: T0 });
    if (entries.length < size) {
      entries.push(
        i % 3 === 0
          ? { kind: 'released', tenantId: 't', procedureId, reason: 'expired', at: T0 }
          : { kind: 'captured', tenantId: 't', procedureId, at: T0 },
      );
    }
  }
  return entries;
};

const medianMs = (runs: number, work: () => unknown): number => {
  const times: number[] = [];
  let sink: unknown;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    sink = work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (sink === undefined) throw new Error('unreachable');
  return median(times);
};

/**
 * What one SHA-256 of an event's canonical text costs right now: every transition pays it once, for the audit
 * chain. Measured beside the transitions because this shared machine's speed drifts by a third from run to run.
 */
const hashMicroseconds = (): number => {
  const previous = sha256Hex('previous');
  const count = 50_000;
  const start = process.hrtime.bigint();
  let sink = '';
  for (let i = 0; i < count; i++) {
    sink = sha256Hex(`[${i},"${previous}","opened","2025-03-20T10:01:00.000Z","signer",null,null,[]]`);
  }
  if (sink.length !== 64) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - start) / 1e3 / count;
};

transitionsPerSecond(20_000); // warm-up: the figures are for optimised code
const rates: Rate[] = [];
const hashCosts: number[] = [];
for (let run = 0; run < 7; run++) {
  rates.push(transitionsPerSecond(20_000));
  hashCosts.push(hashMicroseconds());
}
const entries = ledgerOf(10_000);
medianMs(200, () => balanceOf(entries)); // warm-up
medianMs(200, () => foldLedger(entries));

const format = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const [load1] = loadavg();
console.log(`node ${process.version}, ${availableParallelism()} CPUs, load average ${format(load1 ?? 0, 2)}`);
console.log(
  `state transitions: ${format(median(rates.map((r) => r.wall)))} /s wall-clock, ` +
    `${format(median(rates.map((r) => r.cpu)))} /s of CPU time ` +
    '(median of 7 × 20,000 procedures; mix 4 signed : 1 expired, 5.4 transitions each; target ≥ 500,000)',
);
const walls = rates.map((r) => r.wall);
console.log(
  `  runs from ${format(Math.min(...walls))} to ${format(Math.max(...walls))} /s wall-clock; ` +
    `one SHA-256 of an event's canonical text took ${format(median(hashCosts), 2)} µs (each transition hashes once)`,
);
console.log(
  `balanceOf, 10,000 entries: ${format(
    medianMs(1_000, () => balanceOf(entries)),
    4,
  )} ms (median of 1,000; target < 1 ms)`,
);
console.log(
  `foldLedger, 10,000 entries: ${format(
    medianMs(1_000, () => foldLedger(entries)),
    4,
  )} ms (median of 1,000; the balance and every procedure's hold, for the model checks and audits)`,
);
