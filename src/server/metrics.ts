import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PollOutcomeKind } from '../pipeline/ports.js';
import type { Fetcher } from '../sources/fetch-url.js';

/** What the outbox holds, read from the store at each scrape. */
export interface OutboxGauges {
  /** Deliveries by state (pending, sending, sent, failed, paused…). */
  countDeliveries(): Promise<Record<string, number>>;
  /** When the oldest delivery still waiting (pending or sending) was queued. */
  oldestWaitingDeliveryAt(): Promise<Date | null>;
}

/**
 * nashra's Prometheus metrics, in a registry of their own (never prom-client's global one, so two
 * apps in one process, as in tests, keep separate counts). The poller, the delivery worker and the
 * webhook report through the methods below; the outbox gauges are read from the store when scraped.
 */
export interface AppMetrics {
  readonly registry: Registry;
  /** One poll of one source ended. */
  pollDone(poll: { outcome: PollOutcomeKind; ms: number; newItems: number }): void;
  /** One HTTP fetch (a feed, a page, a discovery probe) ended. */
  fetchDone(fetch: { ok: boolean; ms: number }): void;
  /** Telegram answered a post: sent, or what its refusal led to (retry-after is a 429). */
  sendDone(send: { outcome: string; ms: number }): void;
  /** A webhook request was answered: accepted, refused (bad secret), or turned away (queue full). */
  webhookRequest(result: 'accepted' | 'unauthorized' | 'full' | 'closed' | 'bad-request'): void;
  /** The Prometheus text exposition of every metric. */
  text(): Promise<string>;
  readonly contentType: string;
  /** Stops the event-loop monitor. */
  close(): void;
}

const sendOutcomes = ['sent', 'retry-after', 'retry', 'migrate', 'pause-chat', 'plain-text', 'shorten', 'text-instead', 'failed'];

/**
 * Builds the registry and its metrics. `outbox` is read once per scrape (both outbox gauges share
 * the reads); when the store does not answer, `nashra_outbox_scrape_ok` says 0 and the outbox gauges
 * keep their last values.
 */
export function createMetrics(options: { outbox: OutboxGauges; now?: () => number }): AppMetrics {
  const now = options.now ?? Date.now;
  const registry = new Registry();
  const registers = [registry];

  const polls = new Counter({
    name: 'nashra_polls_total',
    help: 'Polls of a source, by how they ended',
    labelNames: ['outcome'],
    registers,
  });
  const pollDuration = new Histogram({
    name: 'nashra_poll_duration_seconds',
    help: 'Time one poll of one source took, fetch, parse and store included',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40],
    registers,
  });
  const fetchDuration = new Histogram({
    name: 'nashra_fetch_duration_seconds',
    help: 'Time one HTTP fetch of a feed or page took, redirects and body included',
    labelNames: ['result'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers,
  });
  const itemsStored = new Counter({
    name: 'nashra_items_stored_total',
    help: 'New articles stored by polls',
    registers,
  });
  const sends = new Counter({
    name: 'nashra_sends_total',
    help: 'Posts Telegram answered, by outcome (sent, or what a refusal led to)',
    labelNames: ['outcome'],
    registers,
  });
  const sendDuration = new Histogram({
    name: 'nashra_send_duration_seconds',
    help: 'Time Telegram took to answer one sendMessage of a post',
    labelNames: ['result'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const rateLimited = new Counter({
    name: 'nashra_telegram_429_total',
    help: 'Posts Telegram refused with 429 Too Many Requests',
    registers,
  });
  const webhook = new Counter({
    name: 'nashra_webhook_requests_total',
    help: 'Webhook requests, by how they were answered',
    labelNames: ['result'],
    registers,
  });
  for (const outcome of sendOutcomes) sends.inc({ outcome }, 0);
  for (const outcome of ['not-modified', 'unchanged', 'new-items', 'failed'] satisfies PollOutcomeKind[]) polls.inc({ outcome }, 0);

  // One read of the outbox per scrape, shared by the gauges below (prom-client collects them at once).
  let reading: Promise<{ counts: Record<string, number>; oldest: Date | null } | null> | null = null;
  const readOutbox = () =>
    (reading ??= Promise.all([options.outbox.countDeliveries(), options.outbox.oldestWaitingDeliveryAt()])
      .then(([counts, oldest]) => ({ counts, oldest }))
      .catch(() => null)
      .finally(() => setImmediate(() => (reading = null))));

  new Gauge({
    name: 'nashra_outbox_scrape_ok',
    help: '1 when the store answered the outbox gauges at this scrape, else 0',
    registers,
    async collect() {
      this.set((await readOutbox()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'nashra_deliveries',
    help: 'Deliveries (one post to one chat) in the outbox, by state',
    labelNames: ['state'],
    registers,
    async collect() {
      const outbox = await readOutbox();
      if (!outbox) return;
      for (const [state, count] of Object.entries(outbox.counts)) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'nashra_queue_depth',
    help: 'Deliveries waiting to be sent (pending or sending)',
    registers,
    async collect() {
      const outbox = await readOutbox();
      if (outbox) this.set((outbox.counts.pending ?? 0) + (outbox.counts.sending ?? 0));
    },
  });
  new Gauge({
    name: 'nashra_oldest_pending_delivery_age_seconds',
    help: 'How long the oldest delivery still waiting has waited (0 when none waits)',
    registers,
    async collect() {
      const outbox = await readOutbox();
      if (outbox) this.set(outbox.oldest ? Math.max(0, (now() - outbox.oldest.getTime()) / 1000) : 0);
    },
  });

  // The main thread's delay since the previous scrape: how long a timer, an answer or a send waited.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  new Gauge({
    name: 'nashra_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape, by quantile (p50, p99, max)',
    labelNames: ['quantile'],
    registers,
    collect() {
      // Before the first sample the histogram reports NaN; 0 says "no delay seen" more usefully.
      const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
      this.set({ quantile: 'p50' }, seconds(loopDelay.percentile(50)));
      this.set({ quantile: 'p99' }, seconds(loopDelay.percentile(99)));
      this.set({ quantile: 'max' }, seconds(loopDelay.max));
      loopDelay.reset();
    },
  });
  new Gauge({
    name: 'nashra_process_resident_memory_bytes',
    help: 'Resident memory of the process',
    registers,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });

  return {
    registry,
    pollDone({ outcome, ms, newItems }) {
      polls.inc({ outcome });
      pollDuration.observe({ outcome }, ms / 1000);
      if (newItems > 0) itemsStored.inc(newItems);
    },
    fetchDone({ ok, ms }) {
      fetchDuration.observe({ result: ok ? 'ok' : 'error' }, ms / 1000);
    },
    sendDone({ outcome, ms }) {
      sends.inc({ outcome });
      sendDuration.observe({ result: outcome === 'sent' ? 'sent' : 'refused' }, ms / 1000);
      if (outcome === 'retry-after') rateLimited.inc();
    },
    webhookRequest(result) {
      webhook.inc({ result });
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
    close() {
      loopDelay.disable();
    },
  };
}

/** `fetcher` with each fetch's duration and result reported to `onDone` (for the fetch histogram). */
export function timeFetches(fetcher: Fetcher, onDone: (fetch: { ok: boolean; ms: number }) => void): Fetcher {
  return {
    async fetchUrl(url, init) {
      const started = performance.now();
      try {
        const fetched = await fetcher.fetchUrl(url, init);
        onDone({ ok: true, ms: performance.now() - started });
        return fetched;
      } catch (err) {
        onDone({ ok: false, ms: performance.now() - started });
        throw err;
      }
    },
    close: () => fetcher.close(),
  };
}
