/**
 * `sign` with long inputs vs ordinary ones, measured in the same run, through the signer use cases on in-memory
 * storage with the real PAdES sealer and certificate renderer (the test harness). The long case has a user agent,
 * a contact name and a quote number of LONG characters (8,000 by default) without a single space, the worst case
 * for line wrapping, or the longest that sending accepts when Paraphe bounds what it reads from the CRM (found by
 * bisection and said in the output); the ordinary case has 100 of each. Only `sign` is timed (it stamps the
 * document, renders the certificate and seals both); open, requestCode and verifyCode carry the same user agent.
 * A second line times the sealer and the certificate renderer alone with LONG characters in every field, as an
 * adopter calling the adapters directly could pass them: what the layout itself does with them. Its long case
 * prints every value up to its limit, so it costs a fixed amount more than the ordinary one, whatever LONG is.
 * Run: pnpm --filter @paraphe/app bench:long-inputs   (LONG=2000 RUNS=20 to change the size and the run count)
 */
import { makePadesDocumentSealer, makePdfCertificateRenderer } from '@paraphe/adapters/pdf';
import {
  type AuditEvent,
  type CertificateData,
  consentText,
  type RequestContext,
  type Sha256Hex,
  sha256Hex,
} from '@paraphe/domain';
import {
  admin,
  completeContact,
  makeHarness,
  makeQuotePdf,
  right,
  sealingConfig,
  seller,
} from '../src/test-support/harness.js';

const SHORT = 100;
const LONG = Number(process.env.LONG ?? 8000);
const WARM_UP = Number(process.env.WARM_UP ?? 10);
const RUNS = Number(process.env.RUNS ?? 60);
const TARGET = 1.2;

// Repeats a pattern without spaces to exactly `length` characters.
const unbroken = (pattern: string, length: number): string =>
  pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);

interface Inputs {
  readonly userAgent: string;
  /** The contact's full name: first name, a space, last name. */
  readonly name: string;
  readonly quoteNumber: string;
}

const inputsOf = (length: number): Inputs => {
  const half = Math.floor((length - 1) / 2);
  const name = unbroken('Marie-Hélène-Łukasiewicz-', length);
  return {
    userAgent: unbroken(
      'Mozilla/5.0(X11;Linux_x86_64)AppleWebKit/537.36(KHTML,like_Gecko)Chrome/126.0.0.0;',
      length,
    ),
    name: `${name.slice(0, half)} ${name.slice(half + 1)}`,
    quoteNumber: unbroken('D-2026-0042/', length),
  };
};

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

const timed = async (work: () => Promise<unknown>): Promise<Timing> => {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
};

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Medians of each case's wall and CPU milliseconds, after warm-up: runs alternate, their order swapping each
 * round, so a burst of load from other processes hits both cases alike.
 */
const compare = async (run: (name: 'short' | 'long') => Promise<Timing>) => {
  for (let i = 0; i < WARM_UP; i++) {
    await run('short');
    await run('long');
  }
  const samples = {
    short: { wall: [] as number[], cpu: [] as number[] },
    long: { wall: [] as number[], cpu: [] as number[] },
  };
  for (let i = 0; i < RUNS; i++) {
    for (const name of i % 2 === 0 ? (['short', 'long'] as const) : (['long', 'short'] as const)) {
      const t = await run(name);
      samples[name].wall.push(t.wall);
      samples[name].cpu.push(t.cpu);
    }
  }
  const of = (name: 'short' | 'long') => ({
    wall: median(samples[name].wall),
    cpu: median(samples[name].cpu),
  });
  return { short: of('short'), long: of('long') };
};

const line = (label: string, t: { short: Timing; long: Timing }, target: boolean): string => {
  const ratio = t.long.wall / t.short.wall;
  return (
    `${label}  ordinary: ${t.short.wall.toFixed(2)} (${t.short.cpu.toFixed(2)})  long: ${t.long.wall.toFixed(2)} ` +
    `(${t.long.cpu.toFixed(2)})  ratio ${ratio.toFixed(2)}× (CPU ${(t.long.cpu / t.short.cpu).toFixed(2)}×)` +
    (target ? `, target ≤ ${TARGET}×: ${ratio <= TARGET ? 'met' : 'NOT met'}` : '')
  );
};

// 1. `sign` through the use cases.
const h = await makeHarness();
const { sender, signer } = h.paraphe;
const PROBES = 40;
await right(h.paraphe.admin.activate(admin));
await right(
  h.paraphe.admin.orderCredits(admin, { quantity: 2 * (WARM_UP + RUNS) + PROBES, orderReference: 'bench' }),
);

let next = 0;
const send = async (inputs: Inputs) => {
  const quoteId = `q${next++}`;
  await h.putQuote(quoteId, {
    number: inputs.quoteNumber,
    contact: {
      ...completeContact,
      firstName: inputs.name.slice(0, inputs.name.indexOf(' ')),
      lastName: inputs.name.slice(inputs.name.indexOf(' ') + 1),
    },
  });
  return sender.send(seller, { quoteId, subject: 'Devis', body: 'Signez : {{signing_link}}' })();
};

/** The longest length up to `wanted` that sending accepts for one CRM field (when longer: CRM_INVALID_DATA). */
const longestAccepted = async (field: 'name' | 'quoteNumber', wanted: number): Promise<number> => {
  const accepts = async (length: number) => {
    const result = await send({ ...inputsOf(SHORT), [field]: inputsOf(length)[field] });
    if (result._tag === 'Right') return true;
    if (result.left.code === 'CRM_INVALID_DATA') return false;
    throw new Error(result.left.code);
  };
  if (await accepts(wanted)) return wanted;
  let [accepted, refused] = [SHORT, wanted];
  while (refused - accepted > 1) {
    const middle = Math.floor((accepted + refused) / 2);
    if (await accepts(middle)) accepted = middle;
    else refused = middle;
  }
  return accepted;
};

const lengths = {
  name: await longestAccepted('name', LONG),
  quoteNumber: await longestAccepted('quoteNumber', LONG),
};
const signCases: Record<'short' | 'long', Inputs> = {
  short: inputsOf(SHORT),
  long: {
    userAgent: inputsOf(LONG).userAgent,
    name: inputsOf(lengths.name).name,
    quoteNumber: inputsOf(lengths.quoteNumber).quoteNumber,
  },
};
let keptUserAgent = 0;

const signOnce = async (name: 'short' | 'long'): Promise<Timing> => {
  const inputs = signCases[name];
  const sent = await send(inputs);
  if (sent._tag === 'Left') throw new Error(sent.left.code);
  const { id } = sent.right;
  const context: RequestContext = { ip: '203.0.113.7', userAgent: inputs.userAgent };
  const token = h.tokenFor(id);
  await right(signer.open(token, context));
  await right(signer.requestCode(token, context));
  await right(signer.verifyCode(token, h.lastCode(id), context));
  const t = await timed(async () => {
    const page = await right(signer.sign(token, true, context));
    if (page.status !== 'signed') throw new Error(`procedure ${id} ended ${page.status}`);
  });
  const view = await right(sender.getProcedure(seller, id));
  keptUserAgent = Math.max(keptUserAgent, ...view.timeline.map((e) => e.userAgent?.length ?? 0));
  return t;
};
const sign = await compare(signOnce);
await h.paraphe.close();

// 2. The sealer and the certificate renderer alone, every field LONG characters long.
const config = await sealingConfig();
const sealer = makePadesDocumentSealer(config);
const renderer = makePdfCertificateRenderer(config);
const quote = await makeQuotePdf();
const signedAt = new Date('2026-03-02T09:30:00Z');
const certificateData = (inputs: Inputs): CertificateData => {
  const at = (minutes: number) => new Date(signedAt.getTime() - (30 - minutes) * 60_000);
  const types = [
    'procedure_created',
    'invitation_sent',
    'opened',
    'code_sent',
    'code_verified',
    'signed',
  ] as const;
  const events = types.map(
    (type, i): AuditEvent => ({
      type,
      at: at(i),
      actor: i < 2 ? 'system' : 'signer',
      ...(i < 2 ? {} : { ip: '203.0.113.7', userAgent: inputs.userAgent }),
      data: {},
      sequence: i + 1,
      previousHash: sha256Hex(`event ${i - 1}`),
      hash: sha256Hex(`event ${i}`),
    }),
  );
  return {
    language: 'fr',
    timeZone: 'Europe/Paris',
    procedureId: 'proc_bench',
    quoteNumber: inputs.quoteNumber,
    tenantName: inputs.name,
    sender: { name: inputs.name, email: 'bob@acme.example' },
    document: { name: `${inputs.quoteNumber}.pdf`, pageCount: 1 },
    originalSha256: sha256Hex(quote),
    signedSha256: sha256Hex('signed'),
    signers: [
      {
        name: inputs.name,
        email: 'claire.martin@example.fr',
        maskedMobile: '+336••••••78',
        role: 'contact',
        identityCheck: {
          method: 'sms-code',
          maskedMobile: '+336••••••78',
          codesSentAt: [at(3)],
          verifiedAt: at(4),
          wrongAttempts: 0,
        },
        consentText: consentText('fr', inputs.quoteNumber),
        signedAt,
        ip: '203.0.113.7',
        userAgent: inputs.userAgent,
      },
    ],
    signingOrder: 'sequential',
    signedAt,
    events,
    auditChainHead: sha256Hex('head') as Sha256Hex,
  };
};
const adapterCases = { short: inputsOf(SHORT), long: inputsOf(LONG) };
const adapters = await compare((name) =>
  timed(async () => {
    const inputs = adapterCases[name];
    await right(
      sealer.seal({
        document: quote,
        procedureId: 'proc_bench',
        signerName: inputs.name,
        signedAt,
        timeZone: 'Europe/Paris',
        language: 'fr',
        originalSha256: sha256Hex(quote),
      }),
    );
    await right(renderer.render(certificateData(inputs)));
  }),
);

const count = (n: number) => n.toLocaleString('en');
const accepted = (n: number) =>
  n === LONG ? count(n) : `${count(n)} (the longest sending accepts; ${count(LONG)} is CRM_INVALID_DATA)`;
console.log(
  `sign: long inputs are a user agent of ${count(LONG)} characters (${count(keptUserAgent)} kept on the ` +
    `timeline), a contact name of ${accepted(lengths.name)} and a quote number of ${accepted(lengths.quoteNumber)}; ` +
    `ordinary inputs ${SHORT} characters each`,
);
console.log(
  `seal + certificate: long inputs are ${count(LONG)} characters in every field (user agent of each signer event, ` +
    `signer, sender and account names, quote number); ordinary inputs ${SHORT}`,
);
console.log(
  `medians of ${RUNS} runs per case, alternating, after ${WARM_UP} warm-up runs each; wall ms (CPU ms)`,
);
console.log(line('sign              ', sign, true));
console.log(line('seal + certificate', adapters, false));
console.log(
  'seal + certificate prints each long value up to its limit (pdf/README.md), more lines than 100 characters make: ' +
    'that extra stays the same whatever LONG is (compare LONG=300 with LONG=100000)',
);
