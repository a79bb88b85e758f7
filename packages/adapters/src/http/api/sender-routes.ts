import type { SenderUseCases } from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import type { Hono } from 'hono';
import { pdfResponse } from '../pdf-response.js';
import { SendBody, signersQuery } from './api-codecs.js';
import { errorBody, httpError } from './api-errors.js';
import { type ApiEnv, answer, withBody } from './api-support.js';

/** The sender's JSON API (rules 2, 3, 5): check, send, follow, cancel, download. */
export const registerSenderRoutes = (api: Hono<ApiEnv>, sender: SenderUseCases): void => {
  api.get('/quotes/:quoteId/check', (c) => {
    const signers = signersQuery({
      contactIds: c.req.queries('contactId') ?? [],
      countersignerId: c.req.queries('countersignerId') ?? [],
      order: c.req.queries('order') ?? [],
    });
    if (E.isLeft(signers))
      return httpError(
        c,
        400,
        'INVALID_INPUT',
        { fr: 'Les données fournies ne sont pas valides', en: 'The data given is not valid' },
        { fields: signers.left },
      );
    return answer(c, sender.checkSend(c.get('actor'), c.req.param('quoteId'), signers.right), (reasons) =>
      c.json({ sendable: reasons.length === 0, reasons: reasons.map(errorBody) }),
    );
  });
  api.post('/procedures', (c) =>
    withBody(c, SendBody, (body) => {
      const headerKey = c.req.header('idempotency-key');
      const input =
        body.idempotencyKey === undefined && headerKey !== undefined
          ? { ...body, idempotencyKey: headerKey }
          : body;
      return answer(c, sender.send(c.get('actor'), input), (view) => {
        c.header('Location', `${c.req.path}/${encodeURIComponent(view.id)}`);
        return c.json(view, 201);
      });
    }),
  );
  api.get('/procedures/:id', (c) =>
    answer(c, sender.getProcedure(c.get('actor'), c.req.param('id')), (view) => c.json(view)),
  );
  api.get('/procedures/:id/status', (c) =>
    answer(c, sender.getProcedure(c.get('actor'), c.req.param('id')), (view) =>
      c.json({
        id: view.id,
        status: view.status,
        deadline: view.deadline,
        ...(view.signedAt === undefined ? {} : { signedAt: view.signedAt }),
        ...(view.endedAt === undefined ? {} : { endedAt: view.endedAt }),
      }),
    ),
  );
  api.get('/quotes/:quoteId/procedures', (c) =>
    answer(c, sender.listProcedures(c.get('actor'), c.req.param('quoteId')), (procedures) =>
      c.json({ procedures }),
    ),
  );
  api.post('/procedures/:id/cancel', (c) =>
    answer(c, sender.cancel(c.get('actor'), c.req.param('id')), (view) => c.json(view)),
  );
  api.get('/procedures/:id/signed.pdf', (c) =>
    answer(c, sender.downloadSignedDocument(c.get('actor'), c.req.param('id')), (file) =>
      pdfResponse(file, 'attachment'),
    ),
  );
  api.get('/procedures/:id/certificate.pdf', (c) =>
    answer(c, sender.downloadCertificate(c.get('actor'), c.req.param('id')), (file) =>
      pdfResponse(file, 'attachment'),
    ),
  );
  api.get('/credits', (c) => answer(c, sender.getCredits(c.get('actor')), (credits) => c.json(credits)));
  api.get('/settings', (c) => answer(c, sender.getSettings(c.get('actor')), (settings) => c.json(settings)));
};
