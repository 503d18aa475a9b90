// Counters that only go up: each scrape adds rate × the time since the series' last scrape, the
// rate being the stats' per-second value of the newest bucket. So `rate(x[1m])` in PromQL reads
// what /v1/*/stats reports, and a counter falls back to 0 only when its object is new: a database
// made again under the same uid, or the whole state swapped by reset, import or a scenario
// (docs/metrics.md).

/** Latency bucket bounds in µs (RS does not document its own). */
export const LATENCY_BOUNDS_US: readonly number[] = [50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000]
/** Pipeline length bounds (commands). */
export const PIPELINE_BOUNDS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128]

interface Counter { t: number, v: number }
interface Histo { t: number, buckets: number[], sum: number, count: number }

export class Counters {
  private counters = new Map<string, Counter>()
  private histos = new Map<string, Histo>()
  private since = new Map<string, number>()
  /** last master seen, and how many times it changed (primary_selections_total) */
  master = { uid: 0, selections: 0 }

  clear (): void {
    this.counters = new Map()
    this.histos = new Map()
    this.since = new Map()
  }

  /** The counter KEY moved on to NOW at RATE per second (a negative or missing rate adds nothing). */
  advance (key: string, rate: number, now: number): number {
    let c = this.counters.get(key)
    if (c === undefined) this.counters.set(key, c = { t: now, v: 0 })
    const secs = Math.max(0, now - c.t) / 1000
    if (rate > 0 && secs > 0) c.v += rate * secs
    c.t = now
    return Math.round(c.v * 1000) / 1000
  }

  /** A counter that follows a measured total: it takes the total, never going below what it showed. */
  follow (key: string, total: number, now: number): number {
    let c = this.counters.get(key)
    if (c === undefined) this.counters.set(key, c = { t: now, v: total })
    c.v = Math.max(c.v, total)
    c.t = now
    return c.v
  }

  /**
   * Connections made and closed, both counters: made grows at RATE per second and always covers
   * closed + OPEN, so made − closed is the number open now (bdb_conns' v2 form).
   */
  connections (key: string, rate: number, open: number, now: number): { made: number, closed: number } {
    let made = this.advance(`${key}:made`, rate, now)
    const closed = this.counters.get(`${key}:closed`)?.v ?? 0
    if (made < closed + open) {
      made = closed + open
      this.counters.get(`${key}:made`)!.v = made
    }
    return { made, closed: this.follow(`${key}:closed`, made - open, now) }
  }

  /** Seconds KEY has been failing without a break (0 while healthy): ping-failure durations. */
  failing (key: string, failing: boolean, now: number): number {
    if (!failing) {
      this.since.delete(key)
      return 0
    }
    const t = this.since.get(key) ?? now
    this.since.set(key, t)
    return Math.round((now - t) / 1000)
  }

  /**
   * A histogram moved on to NOW: RATE observations per second with MEAN value, spread as an
   * exponential distribution (its p50 is 0.69 × the mean, its p99 4.6 ×) over BOUNDS.
   */
  observe (key: string, bounds: readonly number[], rate: number, mean: number, now: number): Histo {
    let h = this.histos.get(key)
    if (h === undefined) this.histos.set(key, h = { t: now, buckets: bounds.map(() => 0), sum: 0, count: 0 })
    const n = rate * Math.max(0, now - h.t) / 1000
    h.t = now
    if (n > 0 && mean > 0) {
      for (let i = 0; i < bounds.length; i++) h.buckets[i] += n * (1 - Math.exp(-bounds[i] / mean))
      h.sum += n * mean
      h.count += n
    }
    return h
  }
}
