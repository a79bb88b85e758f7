import type { AdminUseCases } from '@paraphe/domain';
import type { Hono } from 'hono';
import { OrderCreditsBody, SettingsBody } from './api-codecs.js';
import { type ApiEnv, answer, withBody } from './api-support.js';

/** The admin's JSON API (rules 0, 1); the use cases answer FORBIDDEN (403) to a user who is not an admin. */
export const registerAdminRoutes = (api: Hono<ApiEnv>, admin: AdminUseCases): void => {
  api.post('/credits', (c) =>
    withBody(c, OrderCreditsBody, (body) =>
      answer(c, admin.orderCredits(c.get('actor'), body), (credits) => c.json(credits, 201)),
    ),
  );
  api.patch('/settings', (c) =>
    withBody(c, SettingsBody, (changes) =>
      answer(c, admin.updateSettings(c.get('actor'), changes), (settings) => c.json(settings)),
    ),
  );
  api.post('/activation', (c) => answer(c, admin.activate(c.get('actor')), (settings) => c.json(settings)));
  api.delete('/activation', (c) =>
    answer(c, admin.deactivate(c.get('actor')), (settings) => c.json(settings)),
  );
};
