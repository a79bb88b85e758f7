import { type DomainError, domainError, sealingError, sealingErrorToDomain } from '@paraphe/domain';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { domainErrorResponse } from './api-errors.js';

const statusOf = async (error: DomainError): Promise<number> => {
  const app = new Hono();
  app.get('/', (c) => domainErrorResponse(c, error));
  return (await app.request('/')).status;
};

describe('the status of a sealing failure', () => {
  it('is 503 when a trust service was down (the client may retry), 500 when the seal cannot be made', async () => {
    expect(
      await statusOf(sealingErrorToDomain(sealingError('SEALING_FAILURE', { reason: 'tsa' }, true))),
    ).toBe(503);
    expect(await statusOf(sealingErrorToDomain(sealingError('SEALING_FAILURE', { reason: 'key' })))).toBe(
      500,
    );
    expect(await statusOf(domainError('DOCUMENT_ENCRYPTED'))).toBe(422);
  });
});
