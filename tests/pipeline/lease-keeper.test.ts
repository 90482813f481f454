import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startLeaseKeeper } from '../../src/pipeline/lease-keeper.js';
import { waitUntil } from '../helpers/wait-until.js';

describe('the lease keeper', () => {
  it('renews leases every third of a lease and reports posts taken over from a process that died', async () => {
    const renewals: number[] = [];
    let expired = 2;
    const takenOver: number[] = [];
    const keeper = startLeaseKeeper({
      store: {
        leaseMs: 300,
        async renewLeases(now) {
          renewals.push(now.getTime());
        },
        async takeOverExpiredDeliveries() {
          const count = expired;
          expired = 0;
          return count;
        },
      },
      logger: pino({ level: 'silent' }),
      onTakenOver: (count) => takenOver.push(count),
    });
    await waitUntil(() => renewals.length >= 3, 'three renewals');
    await keeper.stop();
    const gaps = renewals.slice(1).map((at, i) => at - renewals[i]!);
    for (const gap of gaps) expect(gap).toBeLessThan(300);
    expect(takenOver).toEqual([2]);
    const count = renewals.length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(renewals.length).toBe(count);
  });

  it('keeps going when the database fails for a while', async () => {
    let failures = 2;
    let renewed = 0;
    const keeper = startLeaseKeeper({
      store: {
        leaseMs: 300,
        async renewLeases() {
          if (failures-- > 0) throw new Error('connection reset');
          renewed += 1;
        },
        takeOverExpiredDeliveries: async () => 0,
      },
      logger: pino({ level: 'silent' }),
    });
    await waitUntil(() => renewed >= 1, 'a renewal after the failures');
    await keeper.stop();
  });
});
