import type Database from 'better-sqlite3';
import { defaultLeaseMs, grantSendSlots, makeOwnerId } from '../leases.js';
import type { CoordinationStore, UpdatesLeadership } from '../store.js';
import type { Row } from './connection.js';
import { toSource } from './rows.js';

export interface SqliteCoordinationOptions {
  ownerId?: string;
  leaseMs?: number;
}

/** A right nobody else can hold (one process per SQLite file): never lost, nothing to release. */
async function heldForGood(): Promise<UpdatesLeadership> {
  return { lost: new Promise<void>(() => undefined), release: async () => undefined };
}

/**
 * Coordination for a store one process holds (the file lock): source leases are kept in the table, as
 * on PostgreSQL, so a poll cycle never starts a source twice; a lease of any other owner is from a
 * process that is gone. The send budget lives in memory, chats are paced by the sender's own pacer,
 * no other process can leave a post in `sending` (requeueInterruptedDeliveries takes them all at
 * start), and this process always consumes getUpdates.
 */
export function createSqliteCoordination(db: Database.Database, options: SqliteCoordinationOptions = {}): CoordinationStore {
  const ownerId = options.ownerId ?? makeOwnerId();
  const leaseMs = options.leaseMs ?? defaultLeaseMs;
  const stmt = {
    claimSources: db.prepare(`
      UPDATE sources SET lease_owner = @owner, lease_until = @until
      WHERE id IN (
        SELECT id FROM sources
        WHERE state = 'active' AND next_poll_at <= @dueBy
          AND (lease_owner IS NULL OR lease_owner <> @owner OR lease_until <= @now)
        ORDER BY next_poll_at, id LIMIT @limit)
      RETURNING *`),
    renewSources: db.prepare(`UPDATE sources SET lease_until = @until WHERE lease_owner = @owner`),
  };
  let nextSlot = 0;

  return {
    ownerId,
    leaseMs,
    exclusive: true,
    async claimDueSources(now, limit, dueBy = now) {
      const at = now.getTime();
      const rows = stmt.claimSources.all({ owner: ownerId, until: at + leaseMs, now: at, dueBy: dueBy.getTime(), limit }) as Row[];
      return rows.map(toSource).sort((a, b) => a.nextPollAt.getTime() - b.nextPollAt.getTime() || a.id - b.id);
    },
    async renewLeases(now) {
      stmt.renewSources.run({ owner: ownerId, until: now.getTime() + leaseMs });
    },
    async takeOverExpiredDeliveries() {
      return 0;
    },
    async takeSendSlots(requests, now, pace) {
      const grant = grantSendSlots(nextSlot, requests.length, now.getTime(), pace);
      nextSlot = grant.nextSlot;
      return { slots: grant.slots, retryInMs: grant.retryInMs };
    },
    // One process holds the file: every exclusive right is its own, never lost.
    leadUpdates: heldForGood,
    holdIndexRebuild: heldForGood,
  };
}
