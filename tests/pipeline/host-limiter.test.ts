import { describe, expect, it } from 'vitest';
import { hostKey, KeyedLimiter } from '../../src/pipeline/host-limiter.js';
import { waitUntil } from '../helpers/wait-until.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the keyed limiter', () => {
  it('runs at most `perKey` tasks of one host and `global` in all, and never lets a busy host block another', async () => {
    const limiter = new KeyedLimiter({ global: 3, perKey: 2 });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (name: string, key: string) =>
      limiter.run(key, async () => {
        started.push(name);
        const gate = deferred();
        gates.set(name, gate);
        await gate.promise;
        return name;
      });
    const runs = [task('a1', 'a'), task('a2', 'a'), task('a3', 'a'), task('b1', 'b'), task('c1', 'c')];
    await waitUntil(() => started.length === 3, 'the first tasks start');
    // a3 waits for host a; b1 takes the third global slot although it was queued after a3.
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect(limiter.size).toBe(5);
    gates.get('a1')!.resolve();
    // Waits for the next start (the event), then checks it was the right one.
    await waitUntil(() => started.length === 4, 'a task starts once a1 is done');
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    gates.get('b1')!.resolve();
    await waitUntil(() => started.length === 5, 'a task starts once b1 is done');
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'c1']);
    for (const name of ['a2', 'a3', 'c1']) gates.get(name)!.resolve();
    expect(await Promise.all(runs)).toEqual(['a1', 'a2', 'a3', 'b1', 'c1']);
    expect(limiter.size).toBe(0);
  });

  it('frees the slot of a task that fails', async () => {
    const limiter = new KeyedLimiter({ global: 1, perKey: 1 });
    await expect(limiter.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run('a', async () => 'next')).toBe('next');
  });

  it('keys sources by host and port', () => {
    expect(hostKey('http://127.0.1.7:8080/feed.xml')).toBe('127.0.1.7:8080');
    expect(hostKey('https://Example.COM/rss')).toBe('example.com');
  });
});
