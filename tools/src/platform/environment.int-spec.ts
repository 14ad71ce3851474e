import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { databaseUrlFor } from '../db/databases';
import { migrate } from '../db/migrate';
import { ensureServices } from '../services/ensure-services';
import { developmentDatabase } from './environment';

const serverUrl = databaseUrlFor(process.env.DATABASE_URL ?? '', 'postgres');
const name = `chatbox_fresh_${process.pid}`;

after(async () => {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
});

test('npm start and db:migrate with a DATABASE_URL whose database the server does not have yet create it, then migrate it', async () => {
  const url = databaseUrlFor(serverUrl, name);
  const services = await ensureServices({ ...process.env, DATABASE_URL: url });
  assert.equal(await developmentDatabase(services), url);
  const applied = await migrate(url);
  assert.ok(applied.length > 10, `every migration applied to the new database (${applied.length})`);
  // a second start finds it there and changes nothing
  assert.equal(await developmentDatabase(services), url);
  assert.deepEqual(await migrate(url), []);
});
