/**
 * Bounded concurrency, overall and per key (a source's host): at most `global` tasks run at once,
 * and at most `perKey` of them for one key, so one host is never hit by all its sources at once and
 * a host with many slow sources cannot take every slot. Tasks of a busy key wait without blocking
 * the tasks of other keys behind them.
 */
export class KeyedLimiter {
  private running = 0;
  private readonly runningByKey = new Map<string, number>();
  private readonly waiting: Array<{ key: string; start: () => void }> = [];

  constructor(private readonly limits: { global: number; perKey: number }) {}

  /** Tasks started and not yet finished, plus tasks waiting for a slot. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running += 1;
        this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            const left = (this.runningByKey.get(key) ?? 1) - 1;
            if (left === 0) this.runningByKey.delete(key);
            else this.runningByKey.set(key, left);
            this.startWaiting();
          });
      };
      this.waiting.push({ key, start });
      this.startWaiting();
    });
  }

  private startWaiting(): void {
    for (let index = 0; index < this.waiting.length && this.running < this.limits.global; ) {
      const next = this.waiting[index]!;
      if ((this.runningByKey.get(next.key) ?? 0) >= this.limits.perKey) {
        index += 1;
        continue;
      }
      this.waiting.splice(index, 1);
      next.start();
    }
  }
}

/** The host a URL polls, the key sources are limited by. */
export function hostKey(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}
