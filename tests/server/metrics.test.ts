import { describe, expect, it } from 'vitest';
import { createMetrics, timeFetches, type OutboxGauges } from '../../src/server/metrics.js';
import { SourceError } from '../../src/sources/types.js';
import type { Fetcher } from '../../src/sources/fetch-url.js';

/** The value of one sample line (`name{labels} value`) in a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `) || (labels === '' && candidate.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function outbox(counts: Record<string, number>, oldest: Date | null): OutboxGauges & { reads: number } {
  const gauges = {
    reads: 0,
    async countDeliveries() {
      gauges.reads += 1;
      return counts;
    },
    async oldestWaitingDeliveryAt() {
      return oldest;
    },
  };
  return gauges;
}

describe('the metrics', () => {
  it('counts polls by outcome, the items they stored, and times them', async () => {
    const metrics = createMetrics({ outbox: outbox({}, null) });
    metrics.pollDone({ outcome: 'new-items', ms: 120, newItems: 3 });
    metrics.pollDone({ outcome: 'new-items', ms: 80, newItems: 2 });
    metrics.pollDone({ outcome: 'not-modified', ms: 10, newItems: 0 });
    metrics.pollDone({ outcome: 'failed', ms: 20_000, newItems: 0 });
    const text = await metrics.text();
    metrics.close();
    expect(sample(text, 'nashra_polls_total', '{outcome="new-items"}')).toBe(2);
    expect(sample(text, 'nashra_polls_total', '{outcome="not-modified"}')).toBe(1);
    expect(sample(text, 'nashra_polls_total', '{outcome="unchanged"}')).toBe(0);
    expect(sample(text, 'nashra_polls_total', '{outcome="failed"}')).toBe(1);
    expect(sample(text, 'nashra_items_stored_total')).toBe(5);
    expect(sample(text, 'nashra_poll_duration_seconds_count', '{outcome="new-items"}')).toBe(2);
    expect(sample(text, 'nashra_poll_duration_seconds_sum', '{outcome="new-items"}')).toBeCloseTo(0.2);
    expect(sample(text, 'nashra_poll_duration_seconds_bucket', '{le="0.1",outcome="new-items"}')).toBe(1);
  });

  it('counts sends by outcome, 429s apart, and their latency', async () => {
    const metrics = createMetrics({ outbox: outbox({}, null) });
    metrics.sendDone({ outcome: 'sent', ms: 40 });
    metrics.sendDone({ outcome: 'sent', ms: 60 });
    metrics.sendDone({ outcome: 'retry-after', ms: 30 });
    metrics.sendDone({ outcome: 'pause-chat', ms: 30 });
    const text = await metrics.text();
    metrics.close();
    expect(sample(text, 'nashra_sends_total', '{outcome="sent"}')).toBe(2);
    expect(sample(text, 'nashra_sends_total', '{outcome="retry-after"}')).toBe(1);
    expect(sample(text, 'nashra_sends_total', '{outcome="failed"}')).toBe(0);
    expect(sample(text, 'nashra_telegram_429_total')).toBe(1);
    expect(sample(text, 'nashra_send_duration_seconds_count', '{result="sent"}')).toBe(2);
    expect(sample(text, 'nashra_send_duration_seconds_count', '{result="refused"}')).toBe(2);
  });

  it('reads the outbox from the store at scrape time, once per scrape', async () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const store = outbox({ pending: 7, sending: 2, sent: 40, failed: 1, paused: 0 }, new Date(now - 90_000));
    const metrics = createMetrics({ outbox: store, now: () => now });
    const text = await metrics.text();
    metrics.close();
    expect(sample(text, 'nashra_deliveries', '{state="pending"}')).toBe(7);
    expect(sample(text, 'nashra_deliveries', '{state="sent"}')).toBe(40);
    expect(sample(text, 'nashra_queue_depth')).toBe(9);
    expect(sample(text, 'nashra_oldest_pending_delivery_age_seconds')).toBe(90);
    expect(sample(text, 'nashra_outbox_scrape_ok')).toBe(1);
    expect(store.reads).toBe(1);
  });

  it('says so when the store does not answer, and still answers the rest', async () => {
    const metrics = createMetrics({
      outbox: {
        countDeliveries: () => Promise.reject(new Error('connection refused')),
        oldestWaitingDeliveryAt: () => Promise.resolve(null),
      },
    });
    metrics.pollDone({ outcome: 'unchanged', ms: 5, newItems: 0 });
    const text = await metrics.text();
    metrics.close();
    expect(sample(text, 'nashra_outbox_scrape_ok')).toBe(0);
    expect(sample(text, 'nashra_polls_total', '{outcome="unchanged"}')).toBe(1);
    expect(text).toContain('nashra_event_loop_delay_seconds{quantile="p99"}');
    expect(sample(text, 'nashra_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('keeps two apps in one process apart (no global registry)', async () => {
    const first = createMetrics({ outbox: outbox({}, null) });
    const second = createMetrics({ outbox: outbox({}, null) });
    first.pollDone({ outcome: 'failed', ms: 1, newItems: 0 });
    const [a, b] = [await first.text(), await second.text()];
    first.close();
    second.close();
    expect(sample(a, 'nashra_polls_total', '{outcome="failed"}')).toBe(1);
    expect(sample(b, 'nashra_polls_total', '{outcome="failed"}')).toBe(0);
    expect(first.contentType).toMatch(/^text\/plain/);
  });

  it('times fetches, failed ones too, and passes their results and errors through', async () => {
    const seen: Array<{ ok: boolean; ms: number }> = [];
    const inner: Fetcher = {
      async fetchUrl(url) {
        if (url.endsWith('/broken')) throw new SourceError('http_status', 'the server answered 500');
        return { url, status: 200 } as unknown as Awaited<ReturnType<Fetcher['fetchUrl']>>;
      },
      close: async () => undefined,
    };
    const fetcher = timeFetches(inner, (fetch) => seen.push(fetch));
    expect((await fetcher.fetchUrl('http://127.0.0.1/feed')).url).toBe('http://127.0.0.1/feed');
    await expect(fetcher.fetchUrl('http://127.0.0.1/broken')).rejects.toThrow(/500/);
    expect(seen.map((fetch) => fetch.ok)).toEqual([true, false]);
    expect(seen.every((fetch) => fetch.ms >= 0)).toBe(true);
  });
});
