import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateLoop } from '../../src/bot/run-updates.js';
import { startLeaderPolling } from '../../src/bot/update-leader.js';
import type { UpdatesLeadership } from '../../src/store/store.js';
import { waitUntil } from '../helpers/wait-until.js';

/** One getUpdates lease shared by several "processes", as PostgreSQL's advisory lock is. */
class LeaseTable {
  holder: string | null = null;
  private dropConnection: (() => void) | null = null;

  leadFor(name: string): () => Promise<UpdatesLeadership | null> {
    return async () => {
      if (this.holder !== null) return null;
      this.holder = name;
      let lose!: () => void;
      const lost = new Promise<void>((resolve) => (lose = resolve));
      this.dropConnection = () => {
        this.holder = null;
        lose();
      };
      return {
        lost,
        release: async () => {
          if (this.holder === name) this.holder = null;
        },
      };
    };
  }

  /** The holder's database connection closes (the process died, or the network broke). */
  connectionLost(): void {
    this.dropConnection?.();
  }
}

/** Long polling stand-ins that count how many poll at once. */
class Pollers {
  active = new Set<string>();
  most = 0;
  started: string[] = [];

  startFor(name: string): () => Promise<UpdateLoop> {
    return async () => {
      this.active.add(name);
      this.started.push(name);
      this.most = Math.max(this.most, this.active.size);
      let running = true;
      return {
        stop: async () => {
          running = false;
          this.active.delete(name);
        },
        isRunning: () => running,
      };
    };
  }
}

describe('long polling by the holder of the getUpdates lease', () => {
  const loops: UpdateLoop[] = [];
  afterEach(async () => {
    await Promise.all(loops.splice(0).map((loop) => loop.stop()));
  });

  const start = async (name: string, table: LeaseTable, pollers: Pollers, retryMs = 50) => {
    const loop = await startLeaderPolling({
      lead: table.leadFor(name),
      startPolling: pollers.startFor(name),
      logger: pino({ level: 'silent' }),
      retryMs,
    });
    loops.push(loop);
    return loop;
  };

  it('lets one process poll while the others stand by, ready', async () => {
    const table = new LeaseTable();
    const pollers = new Pollers();
    const a = await start('a', table, pollers);
    const b = await start('b', table, pollers);
    const c = await start('c', table, pollers);
    expect([...pollers.active]).toEqual(['a']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pollers.most).toBe(1);
    expect([a.isRunning(), b.isRunning(), c.isRunning()]).toEqual([true, true, true]);
  });

  it('hands polling to another process within the retry period when the holder loses its connection', async () => {
    const table = new LeaseTable();
    const pollers = new Pollers();
    await start('a', table, pollers);
    await start('b', table, pollers);
    table.connectionLost();
    const lostAt = Date.now();
    await waitUntil(() => pollers.active.has('b'), 'b polls', 2000);
    expect(Date.now() - lostAt).toBeLessThan(500);
    expect(pollers.started).toEqual(['a', 'b']);
    expect(pollers.most).toBe(1);
    // a stopped polling and stands by: when b loses its lease too, a polls again.
    table.connectionLost();
    await waitUntil(() => pollers.started.length === 3, 'someone polls again', 2000);
    expect(pollers.active.size).toBe(1);
    expect(pollers.most).toBe(1);
  });

  it('gives the lease up at stop, so a standing-by process takes over', async () => {
    const table = new LeaseTable();
    const pollers = new Pollers();
    const a = await start('a', table, pollers);
    await start('b', table, pollers);
    await a.stop();
    expect(pollers.active.has('a')).toBe(false);
    await waitUntil(() => pollers.active.has('b'), 'b polls', 2000);
    expect(pollers.most).toBe(1);
  });

  it('stops at once while standing by', async () => {
    const table = new LeaseTable();
    const pollers = new Pollers();
    await start('a', table, pollers);
    // b asks for the lease every 5 s: stopping must not wait for its next ask.
    const b = await start('b', table, pollers, 5000);
    const started = Date.now();
    await b.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(b.isRunning()).toBe(false);
    expect(pollers.started).toEqual(['a']);
  });
});
