import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  standardWebhookId,
  standardWebhookKey,
  standardWebhookSecret,
  standardWebhookSignature,
} from './standard-webhooks.js';

const body = '{"id":"p-1.event-3"}';
const ts = 1_748_772_000;

describe('standardWebhookSignature', () => {
  it('matches a known HMAC-SHA256 over "id.timestamp.body", keyed with the UTF-8 bytes of a plain secret', () => {
    // Computed independently:
    // printf '%s' 'p-1%2Eevent-3.1748772000.{"id":"p-1.event-3"}' | openssl dgst -sha256 -hmac 'paraphe-webhook-secret' -binary | base64
    expect(standardWebhookSignature('paraphe-webhook-secret', 'p-1%2Eevent-3', ts, body)).toBe(
      'v1,AQMI91Jea78atyqtQt217ohFhm3CSRUF9Pc4DMvgAZM=',
    );
  });

  it('keys a whsec_ secret with its decoded bytes, as the specification does', () => {
    // printf '%s' 'msg_p.1748772000.{"id":"evt-1"}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<base64 -d of the secret> -binary | base64
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(standardWebhookSignature(secret, 'msg_p', ts, '{"id":"evt-1"}')).toBe(
      'v1,h57o1XkR0Ek2uw0nfEYsS/3c/JwNKZUt0ZitQEEShRE=',
    );
  });

  it.each([
    'paraphe-webhook-secret',
    'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    'whsec_paraphe_test_SECRET',
    'whsec_dGVzdA',
    'clé-secrète ünïcode',
  ])('signs %s as the standardwebhooks library does with standardWebhookSecret of it', (secret) => {
    const reference = new Webhook(standardWebhookSecret(secret)).sign(
      'p-1%2Eevent-3',
      new Date(ts * 1000),
      body,
    );
    expect(standardWebhookSignature(secret, 'p-1%2Eevent-3', ts, body)).toBe(reference);
  });
});

describe('the Standard Webhooks form of a Paraphe secret', () => {
  it.each([
    [
      'a plain secret: whsec_ and the base64 of its UTF-8 bytes',
      'paraphe-webhook-secret',
      'whsec_cGFyYXBoZS13ZWJob29rLXNlY3JldA==',
    ],
    [
      'already in whsec_ form: itself',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    ],
    [
      'whsec_ then no base64: a plain secret',
      'whsec_paraphe_test_SECRET',
      `whsec_${Buffer.from('whsec_paraphe_test_SECRET').toString('base64')}`,
    ],
    [
      'whsec_ then unpadded base64: a plain secret',
      'whsec_dGVzdA',
      `whsec_${Buffer.from('whsec_dGVzdA').toString('base64')}`,
    ],
    ['whsec_ alone: a plain secret', 'whsec_', `whsec_${Buffer.from('whsec_').toString('base64')}`],
  ])('%s', (_, secret, expected) => {
    expect(standardWebhookSecret(secret)).toBe(expected);
    expect(standardWebhookKey(secret)).toEqual(Buffer.from(expected.slice('whsec_'.length), 'base64'));
  });
});

describe('standardWebhookId', () => {
  it.each([
    ['p-1.event-3', 'p-1%2Eevent-3'],
    ['evt-0001', 'evt-0001'],
    ['a.b.c', 'a%2Eb%2Ec'],
    ['a%2Eb', 'a%252Eb'],
    ['é x', '%C3%A9%20x'],
  ])('%s is sent as %s, without a dot, and decodes back', (id, sent) => {
    expect(standardWebhookId(id)).toBe(sent);
    expect(decodeURIComponent(sent)).toBe(id);
  });
});
