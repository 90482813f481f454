import path from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { makeTempDir } from '../helpers/bot-process.js';
import { describeStore } from './contract/index.js';

// Each test gets a new file in a temp dir; reopening opens the same file.
describeStore('sqlite', {
  async create(options = {}) {
    const file = path.join(makeTempDir(), 'nashra.sqlite');
    return { store: createSqliteStore(file, options), reopen: async () => createSqliteStore(file, options) };
  },
});
