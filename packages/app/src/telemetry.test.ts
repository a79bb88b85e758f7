import { context, metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { deliveryError } from '@paraphe/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { right, seller } from './test-support/harness.js';
import { readyHarness, send, signQuote, UNKNOWN_TOKEN } from './test-support/story.js';

const SECRET_KEY = 'test-code-hash-key-0123456789abcdef';

/** A reader the test collects from when it wants, as a host's exporter would on its interval. */
class CollectingReader extends MetricReader {
  protected override onForceFlush = async () => undefined;
  protected override onShutdown = async () => undefined;
}

const spans = new InMemorySpanExporter();
const reader = new CollectingReader();
const contextManager = new AsyncLocalStorageContextManager();

// Registered before Paraphe is composed, as a host's SDK is.
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => {
  contextManager.disable();
  trace.disable();
  metrics.disable();
  context.disable();
});

/** Every data point of every metric, by metric name. */
const collected = async () => {
  const { resourceMetrics } = await reader.collect();
  const byName = new Map<string, { readonly unit: string; readonly points: DataPoint<unknown>[] }>();
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics)
      byName.set(metric.descriptor.name, {
        unit: metric.descriptor.unit,
        points: metric.dataPoints as DataPoint<unknown>[],
      });
  return byName;
};
const sum = (points: ReadonlyArray<DataPoint<unknown>> | undefined) =>
  (points ?? []).reduce((total, point) => total + (point.value as number), 0);

describe('metrics and traces', () => {
  it('count a whole procedure and a cancelled one, time the calls and the seal, trace each call, and never carry a secret', async () => {
    const h = await readyHarness({ credits: 4, quotes: 3 });
    const signed = await signQuote(h, 'q1');
    const cancelled = await send(h, 'q2');
    await right(h.paraphe.sender.cancel(seller, cancelled.id, 'Erreur de devis'));
    h.mailer.failNext(deliveryError(true, 'TIMEOUT'));
    await send(h, 'q3');
    expect((await h.paraphe.signer.open(UNKNOWN_TOKEN)())._tag).toBe('Left');

    const got = await collected();
    const tenant = { 'paraphe.tenant.id': 'acme' };
    expect(got.get('paraphe.sends')?.points.map((p) => [p.attributes, p.value])).toEqual([[tenant, 3]]);
    expect(got.get('paraphe.signatures')?.points.map((p) => [p.attributes, p.value])).toEqual([[tenant, 1]]);
    expect(sum(got.get('paraphe.credits.purchased')?.points)).toBe(4);
    expect(sum(got.get('paraphe.credits.reserved')?.points)).toBe(3);
    expect(sum(got.get('paraphe.credits.captured')?.points)).toBe(1);
    expect(sum(got.get('paraphe.credits.released')?.points)).toBe(1);
    expect(got.get('paraphe.delivery.failures')?.points.map((p) => [p.attributes, p.value])).toEqual([
      [{ ...tenant, 'paraphe.channel': 'email', 'paraphe.reason': 'TIMEOUT' }, 1],
    ]);
    const sealed = got.get('paraphe.seal.duration');
    expect(sealed?.unit).toBe('s');
    expect(
      sealed?.points.reduce((n, p) => n + (p.value as { count: number }).count, 0),
    ).toBeGreaterThanOrEqual(1);
    const requests = got.get('paraphe.request.duration')?.points ?? [];
    const sendTimings = requests.filter((p) => p.attributes['paraphe.call'] === 'sender.send');
    expect(
      sendTimings.map((p) => [p.attributes['paraphe.outcome'], (p.value as { count: number }).count]),
    ).toEqual([['ok', 3]]);

    const finished = spans.getFinishedSpans();
    const sign = finished.find((s) => s.name === 'signer.sign');
    // A signer's call names no tenant: the span learns it, and the procedure, from what the call read.
    expect(sign?.attributes).toMatchObject({ ...tenant, 'paraphe.procedure.id': signed.id });
    expect(finished.find((s) => s.name === 'sender.cancel')?.attributes).toMatchObject({
      ...tenant,
      'paraphe.procedure.id': cancelled.id,
    });
    const refused = finished.find((s) => s.name === 'signer.open' && s.status.code === SpanStatusCode.ERROR);
    expect(refused?.status.message).toMatch(/^[A-Z_]+$/);
    expect(new Set(finished.map((s) => s.name))).toEqual(
      new Set([
        'admin.activate',
        'admin.orderCredits',
        'sender.send',
        'sender.cancel',
        'signer.open',
        'signer.requestCode',
        'signer.verifyCode',
        'signer.sign',
      ]),
    );

    // What an operator's backend receives: span names, attributes, events and statuses, and metric attributes.
    const text = JSON.stringify([
      finished.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
      [...got.values()].map((m) => m.points.map((p) => p.attributes)),
    ]);
    const links = h.mailer.sent.flatMap((m) =>
      m.template?.signingLink === undefined ? [] : [m.template.signingLink],
    );
    const tokens = [...links.map((link) => link.slice(link.lastIndexOf('/') + 1)), UNKNOWN_TOKEN];
    const codes = h.sms.sent.flatMap((m) => m.text.match(/(?<!\d)\d{6}(?!\d)/g) ?? []);
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(codes.length).toBeGreaterThanOrEqual(1);
    const leaks = [
      ...links.filter((link) => text.includes(link)).map(() => 'signing link'),
      ...tokens.filter((t) => text.includes(t)).map(() => 'link token'),
      ...codes.filter((code) => new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text)).map((c) => `SMS code ${c}`),
      ...(text.includes(SECRET_KEY) ? ['secret key'] : []),
    ];
    expect(leaks).toEqual([]);
  });
});
