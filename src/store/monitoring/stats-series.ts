// The time axis of /v1/*/stats (docs/rs-api-notes.md §5.11): interval names, retention, the sample
// buckets a query selects, and the deterministic noise that makes values look measured.
import { invalidParam } from '../../base/errors.js'
import { isoSeconds } from '../kernel/index.js'

/** interval name → [length in ms, samples retained] */
export const INTERVALS = {
  '1sec': [1_000, 10],
  '10sec': [10_000, 30],
  '5min': [300_000, 12],
  '15min': [900_000, 96],
  '1hour': [3_600_000, 168],
  '12hour': [43_200_000, 62],
  '1week': [604_800_000, 53]
} as const satisfies Record<string, readonly [number, number]>

export type IntervalName = keyof typeof INTERVALS
export const intervalNames = Object.keys(INTERVALS) as IntervalName[]

// Without ?interval the real API returns these blocks, in this order (all three captures).
const DEFAULT_BLOCKS: readonly IntervalName[] = ['1sec', '10sec', '5min']

export interface StatsQuery { interval?: string, stime?: string, etime?: string, metrics?: string, parent_uid?: string }

export type Metrics = Record<string, number | string>
export type Sample = Metrics

export interface StatSource {
  uid: string | number
  /** epoch ms from which the object exists: no sample ends before it */
  since: number
  /** quiet databases and shards (< 5 ops/s) sample 1sec only every few seconds (§5.11) */
  quiet: boolean
  metrics: (startMs: number, lengthMs: number) => Metrics
}

export interface TimeSeries { intervals: Sample[], uid: string | number, [more: string]: unknown }

/** FNV-1a of the parts, mapped to [0, 1): the same object, metric and bucket always give the same value. */
export function noise (...parts: Array<string | number>): number {
  let h = 0x811c9dc5
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h / 0x1_0000_0000
}

export const r3 = (x: number): number => Math.round(x * 1000) / 1000

const byKey = (a: [string, unknown], b: [string, unknown]): number => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0

interface Selection { intervals: readonly IntervalName[], from?: number, to?: number, metrics?: ReadonlySet<string> }

function time (raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined
  const ms = Date.parse(raw)
  if (Number.isNaN(ms)) throw invalidParam(`${name} must be an ISO-8601 time such as 2026-01-05T09:00:00Z, not '${raw}'`)
  return ms
}

function interval (raw: string | undefined, fallback: IntervalName): IntervalName {
  if (raw === undefined) return fallback
  if (!(raw in INTERVALS)) throw invalidParam(`interval must be one of ${intervalNames.join(', ')}, not '${raw}'`)
  return raw as IntervalName
}

export function select (q: StatsQuery): Selection {
  const metrics = q.metrics === undefined ? undefined : new Set(q.metrics.split(',').map(m => m.trim()).filter(Boolean))
  return {
    intervals: q.interval === undefined ? DEFAULT_BLOCKS : [interval(q.interval, '1sec')],
    from: time(q.stime, 'stime'),
    to: time(q.etime, 'etime'),
    metrics
  }
}

/** One sample in the wire order: keys sorted, stime/etime/interval among the metrics. */
function sample (src: StatSource, name: IntervalName, start: number, len: number, metrics?: ReadonlySet<string>): Sample {
  const values = src.metrics(start, len)
  const kept = metrics === undefined ? values : Object.fromEntries(Object.entries(values).filter(([k]) => metrics.has(k)))
  const all: Sample = { ...kept, etime: isoSeconds(start + len), interval: name, stime: isoSeconds(start) }
  return Object.fromEntries(Object.entries(all).sort(byKey))
}

/** The retained buckets of one interval, oldest first, that the object lived through. */
function buckets (src: StatSource, name: IntervalName, now: number): number[] {
  const [len, keep] = INTERVALS[name]
  const lastEnd = Math.floor(now / len) * len
  const out: number[] = []
  for (let k = keep - 1; k >= 0; k--) {
    const start = lastEnd - (k + 1) * len
    if (start + len <= src.since) continue
    if (src.quiet && name === '1sec' && noise(src.uid, start) >= 0.3) continue
    out.push(start)
  }
  return out
}

export function timeSeries (src: StatSource, sel: Selection, now: number): TimeSeries {
  const intervals: Sample[] = []
  for (const name of sel.intervals) {
    const len = INTERVALS[name][0]
    for (const start of buckets(src, name, now)) {
      if (sel.from !== undefined && start + len <= sel.from) continue
      if (sel.to !== undefined && start >= sel.to) continue
      intervals.push(sample(src, name, start, len, sel.metrics))
    }
  }
  return { intervals, uid: src.uid }
}

/** The newest complete bucket of the interval (default 1sec), as /last returns it. */
export function lastSample (src: StatSource, q: StatsQuery, now: number): Sample {
  const sel = select(q)
  const name = interval(q.interval, '1sec')
  const len = INTERVALS[name][0]
  return sample(src, name, Math.floor(now / len) * len - len, len, sel.metrics)
}
