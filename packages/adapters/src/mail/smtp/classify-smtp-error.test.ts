import { deliveryError } from '@paraphe/domain';
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './classify-smtp-error.js';

const smtp = (responseCode: number, response: string, code = 'EENVELOPE') => ({
  code,
  responseCode,
  response,
});

describe('classifySmtpError', () => {
  it.each([
    [
      smtp(550, '550 5.1.1 <bob@x.example>: mailbox unavailable'),
      deliveryError(false, 'SMTP_REJECTED', '550 5.1.1'),
    ],
    [smtp(552, '552 message too big', 'EMESSAGE'), deliveryError(false, 'SMTP_REJECTED', '552')],
    [smtp(535, '535 5.7.8 bad credentials', 'EAUTH'), deliveryError(false, 'SMTP_AUTH_FAILED', '535 5.7.8')],
    [smtp(451, '451 4.3.0 try later'), deliveryError(true, 'SMTP_DEFERRED', '451 4.3.0')],
    [smtp(421, '421 closing', 'ECONNECTION'), deliveryError(true, 'SMTP_DEFERRED', '421')],
    [smtp(503, '503 bad sequence', 'EPROTOCOL'), deliveryError(true, 'SMTP_DEFERRED', '503')],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, deliveryError(true, 'CONNECTION_REFUSED', 'ESOCKET')],
    [{ code: 'ETIMEDOUT' }, deliveryError(true, 'TIMEOUT', 'ETIMEDOUT')],
    [{ code: 'EDNS' }, deliveryError(true, 'DNS_FAILURE', 'EDNS')],
    [{ code: 'ENOAUTH' }, deliveryError(false, 'SMTP_AUTH_FAILED', 'ENOAUTH')],
    [{ code: 'ETLS' }, deliveryError(false, 'SMTP_TLS_FAILED', 'ETLS')],
    [{ code: 'EENVELOPE' }, deliveryError(false, 'INVALID_ADDRESS', 'EENVELOPE')],
    ['a string', deliveryError(true, 'SMTP_ERROR')],
    [null, deliveryError(true, 'SMTP_ERROR')],
  ])('%j → %j', (error, expected) => {
    expect(classifySmtpError(error)).toEqual(expected);
  });
});
