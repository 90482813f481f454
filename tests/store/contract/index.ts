/**
 * The store contract: one suite, written against the Store interface alone, that every backend must
 * pass. `describeStore('sqlite', …)` and `describeStore('postgres', …)` run it.
 */
import { describe } from 'vitest';
import type { StoreBackend } from './backend.js';
import { describeChats } from './chats.js';
import { describeDeliveriesAndDigests } from './deliveries-and-digests.js';
import { describeItemCorrections } from './item-corrections.js';
import { describeItemsAndOutbox } from './items-and-outbox.js';
import { describeOpenInputs } from './open-inputs.js';
import { describeSearch } from './search.js';
import { describeSources } from './sources.js';

export type { OpenedStore, StoreBackend, StoreTestOptions } from './backend.js';

/** Registers the whole contract suite for one backend. */
export function describeStore(name: string, backend: StoreBackend): void {
  describe(`the ${name} store`, () => {
    describeSources(backend);
    describeItemsAndOutbox(backend);
    describeChats(backend);
    describeOpenInputs(backend);
    describeDeliveriesAndDigests(backend);
    describeItemCorrections(backend);
    describeSearch(backend);
  });
}
