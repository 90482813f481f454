import { afterAll, describe } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { dropSchemas, freshSchemaName, postgresSuiteRuns, testDatabaseUrl } from '../helpers/postgres.js';
import { describeStore } from './contract/index.js';

const available = await postgresSuiteRuns();

describe.runIf(available)('PostgreSQL', () => {
  // One schema per suite, made anew for each test (dropped, then created and migrated by the store
  // itself), so every test starts from an empty store whose ids start at 1; dropped at the end.
  const schema = freshSchemaName('contract');
  afterAll(() => dropSchemas([schema]));

  describeStore('postgres', {
    async create() {
      await dropSchemas([schema]);
      return {
        store: await openPostgresStore(testDatabaseUrl, { schema, maxConnections: 4 }),
        reopen: () => openPostgresStore(testDatabaseUrl, { schema, maxConnections: 4 }),
      };
    },
  });
});
