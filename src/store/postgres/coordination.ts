import { grantSendSlots } from '../leases.js';
import type { CoordinationStore, UpdatesLeadership } from '../store.js';
import type { PostgresConnection, Row } from './connection.js';
import { toSource } from './rows.js';

/**
 * The advisory locks, each this key and the schema's, so two deployments in two schemas of one
 * database do not share them: whose holder consumes getUpdates (one consumer per bot token), and
 * who rebuilds the search index.
 */
const updatesLockClass = 7302;
const indexRebuildLockClass = 7303;

export interface PostgresCoordinationOptions {
  ownerId: string;
  leaseMs: number;
}

/**
 * Coordination of several processes through the database: source and delivery leases in their
 * rows (another process takes one over only once it expired), one send budget row shared by all,
 * each chat's next turn kept with the chat, and the getUpdates lease as a session advisory lock held
 * by a connection of its own: when the process dies, its connection closes and the lock is free.
 */
export function createPostgresCoordination(connection: PostgresConnection, options: PostgresCoordinationOptions): CoordinationStore {
  const { pool, transaction } = connection;
  const { ownerId, leaseMs } = options;

  /** A session advisory lock of this schema, held by a connection of its own until released or cut. */
  async function holdAdvisoryLock(lockClass: number): Promise<UpdatesLeadership | null> {
    // Held by a connection of its own, not a pooled one: the lock lives as long as that connection.
    const client = connection.newClient();
    let lostResolve!: () => void;
    const lost = new Promise<void>((resolve) => (lostResolve = resolve));
    // A connection that breaks (the server restarted, the network went) has lost the lock with it.
    client.on('error', () => lostResolve());
    client.on('end', () => lostResolve());
    try {
      await client.connect();
      const { rows } = await client.query<{ held: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS held',
        [lockClass],
      );
      if (!rows[0]?.held) {
        await client.end();
        return null;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    let released = false;
    return {
      lost,
      async release() {
        if (released) return;
        released = true;
        await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [lockClass]).catch(() => undefined);
        await client.end().catch(() => undefined);
      },
    };
  }

  return {
    ownerId,
    leaseMs,
    exclusive: false,
    async claimDueSources(now, limit, dueBy = now) {
      if (limit <= 0) return [];
      const at = now.getTime();
      // SKIP LOCKED: two processes claiming at once take different sources.
      const { rows } = await pool.query<Row>(
        `UPDATE sources SET lease_owner = $1, lease_until = $2
         WHERE id IN (
           SELECT id FROM sources
           WHERE state = 'active' AND next_poll_at <= $5 AND (lease_owner IS NULL OR lease_until <= $3)
           ORDER BY next_poll_at, id LIMIT $4
           FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [ownerId, at + leaseMs, at, limit, dueBy.getTime()],
      );
      return rows.map(toSource).sort((a, b) => a.nextPollAt.getTime() - b.nextPollAt.getTime() || a.id - b.id);
    },
    async renewLeases(now) {
      const until = now.getTime() + leaseMs;
      await pool.query(`UPDATE sources SET lease_until = $2 WHERE lease_owner = $1`, [ownerId, until]);
      await pool.query(`UPDATE deliveries SET lease_until = $2 WHERE lease_owner = $1 AND state = 'sending'`, [ownerId, until]);
    },
    async takeOverExpiredDeliveries(now) {
      const result = await pool.query(
        `UPDATE deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = $2
         WHERE state = 'sending' AND (lease_until IS NULL OR lease_until <= $1)`,
        [now.getTime(), now.toISOString()],
      );
      return result.rowCount ?? 0;
    },
    async takeSendSlots(requests, now, pace) {
      if (requests.length === 0) return { slots: [], retryInMs: 0 };
      return transaction(async (client) => {
        // The budget row is locked for the few statements of a grant: processes take slots one after another.
        const { rows } = await client.query<Row>(`SELECT next_slot FROM send_budget WHERE id = 1 FOR UPDATE`);
        const grant = grantSendSlots(Number(rows[0]!.next_slot), requests.length, now.getTime(), pace);
        if (grant.slots.length === 0) return { slots: [], retryInMs: grant.retryInMs };
        // Whole milliseconds in the table (a slot may fall between two): rounded up, never earlier.
        await client.query(`UPDATE send_budget SET next_slot = $1 WHERE id = 1`, [Math.ceil(grant.nextSlot)]);
        const granted = requests.slice(0, grant.slots.length);
        // Each granted chat's next send waits for this one's slot plus the chat's gap, in every process.
        await client.query(
          `UPDATE chats c SET next_turn_at = greatest(c.next_turn_at, t.turn)
           FROM (SELECT chat_id, max(turn) AS turn FROM unnest($1::bigint[], $2::bigint[]) AS u (chat_id, turn) GROUP BY chat_id) t
           WHERE c.id = t.chat_id`,
          [granted.map((request) => request.chatId), granted.map((request, i) => Math.ceil(grant.slots[i]! + request.chatGapMs))],
        );
        return { slots: grant.slots, retryInMs: 0 };
      });
    },
    leadUpdates: () => holdAdvisoryLock(updatesLockClass),
    holdIndexRebuild: () => holdAdvisoryLock(indexRebuildLockClass),
  };
}
