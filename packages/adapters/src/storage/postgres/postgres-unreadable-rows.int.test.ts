import { createSchema, describeOnPostgres, findPostgres } from '../test-support/postgres-test-database.js';
import { describeUnreadableRows } from '../test-support/unreadable-rows.js';
import { makePostgresStorage } from './postgres-storage.js';

const config = await findPostgres();

describeOnPostgres('postgres storage', config, (config) => {
  describeUnreadableRows('postgres', async () => {
    const scope = await createSchema(config);
    const storage = makePostgresStorage({ pool: scope.pool() });
    // Another session, as a person with psql would edit the rows while the storage is idle.
    const editor = scope.pool(1);
    const edit = async (sql: string, id: string) => {
      if ((await editor.query(sql, [id])).rowCount !== 1) throw new Error(`no row ${id}`);
    };
    return {
      storage,
      corruptProcedure: (id) =>
        edit(
          `update procedures set body = jsonb_set(body, '{events,1,ip}', '{"forwarded":"198.51.100.23"}') where id = $1`,
          id,
        ),
      corruptMessage: (id) =>
        edit(`update outbox set message = jsonb_set(message, '{email,to}', '42') where id = $1`, id),
      close: async () => {
        await storage.close();
        await scope.drop();
      },
    };
  });
});
