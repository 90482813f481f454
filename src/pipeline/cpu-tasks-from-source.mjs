// The worker entry when nashra runs from its TypeScript sources (`npm start`, tests): a worker
// thread starts without the parent's tsx hooks, so it registers them before loading the tasks. The
// built image loads the compiled cpu-tasks.js directly instead.
import { register } from 'tsx/esm/api';

register();
const tasks = await import('./cpu-tasks.ts');

export const { parseDocument, makeItems, makeIndexTokens, learnSignatures } = tasks;
