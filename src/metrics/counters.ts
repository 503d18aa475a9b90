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

/**
 * The counters of one object (a shard, an endpoint, a node), each under a name: a scrape looks
 * the object up once and its ~20 counters by constant names, instead of making a key per counter.
 */
export class CounterGroup {
  private readonly counters = new Map<string, Counter>()
  private readonly histos = new Map<string, Histo>()
  private readonly since = new Map<string, number>()

  /** The counter NAME moved on to NOW at RATE per second (a negative or missing rate adds nothing). */
  advance (name: string, rate: number, now: number): number {
    let c = this.counters.get(name)
    if (c === undefined) this.counters.set(name, c = { t: now, v: 0 })
    const secs = Math.max(0, now - c.t) / 1000
    if (rate > 0 && secs > 0) c.v += rate * secs
    c.t = now
    return Math.round(c.v * 1000) / 1000
  }

  /** A counter that follows a measured total: it takes the total, never going below what it showed. */
  follow (name: string, total: number, now: number): number {
    let c = this.counters.get(name)
    if (c === undefined) this.counters.set(name, c = { t: now, v: total })
    c.v = Math.max(c.v, total)
    c.t = now
    return c.v
  }

  /**
   * Connections made and closed, both counters (MADE and CLOSED their names): made grows at RATE
   * per second and always covers closed + OPEN, so made − closed is the number open now (bdb_conns' v2 form).
   */
  connections (made: string, closed: string, rate: number, open: number, now: number): { made: number, closed: number } {
    let m = this.advance(made, rate, now)
    const c = this.counters.get(closed)?.v ?? 0
    if (m < c + open) {
      m = c + open
      this.counters.get(made)!.v = m
    }
    return { made: m, closed: this.follow(closed, m - open, now) }
  }

  /** Seconds NAME has been failing without a break (0 while healthy): ping-failure durations. */
  failing (name: string, failing: boolean, now: number): number {
    if (!failing) {
      this.since.delete(name)
      return 0
    }
    const t = this.since.get(name) ?? now
    this.since.set(name, t)
    return Math.round((now - t) / 1000)
  }

  /**
   * A histogram moved on to NOW: RATE observations per second with MEAN value, spread as an
   * exponential distribution (its p50 is 0.69 × the mean, its p99 4.6 ×) over BOUNDS.
   */
  observe (name: string, bounds: readonly number[], rate: number, mean: number, now: number): Histo {
    let h = this.histos.get(name)
    if (h === undefined) this.histos.set(name, h = { t: now, buckets: bounds.map(() => 0), sum: 0, count: 0 })
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

export class Counters {
  /** counters under a whole key, and the groups of objects (group()) */
  private root = new CounterGroup()
  private groups = new Map<string, CounterGroup>()
  /** last master seen, and how many times it changed (primary_selections_total) */
  master = { uid: 0, selections: 0 }

  clear (): void {
    this.root = new CounterGroup()
    this.groups = new Map()
  }

  /** The counters of the object KEY (a group's names are apart from the whole keys of the methods below). */
  group (key: string): CounterGroup {
    let g = this.groups.get(key)
    if (g === undefined) this.groups.set(key, g = new CounterGroup())
    return g
  }

  advance (key: string, rate: number, now: number): number { return this.root.advance(key, rate, now) }
  follow (key: string, total: number, now: number): number { return this.root.follow(key, total, now) }
  failing (key: string, failing: boolean, now: number): number { return this.root.failing(key, failing, now) }
}
