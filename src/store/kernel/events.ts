// GET /v1/logs: the cluster event log with its time window, order and paging (docs/rs-api-notes.md §5.13).
import { invalidParam } from '../../base/errors.js'
import type { Core } from './core.js'
import type { Json } from './state.js'

export interface LogQuery { stime?: string, etime?: string, order?: string, limit?: string, offset?: string }

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/

function parseTime (name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  // ISO-8601 as RS writes it; without a zone it is UTC like every RS timestamp
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(raw) || !raw.includes('T') ? raw : `${raw}Z`
  const ms = ISO.test(raw) ? Date.parse(zoned) : NaN
  if (!Number.isFinite(ms)) throw invalidParam(`${name} must be an ISO-8601 time such as 2026-01-05T09:00:00Z, not '${raw}'`)
  return ms
}

function parseCount (name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw invalidParam(`${name} must be a non-negative integer, not '${raw}'`)
  return Number(raw)
}

export class Events {
  constructor (private readonly core: Core) {}

  query (q: LogQuery): Json[] {
    const single = (v: unknown): string | undefined => Array.isArray(v) ? String(v[v.length - 1]) : v === undefined ? undefined : String(v)
    const stime = parseTime('stime', single(q.stime))
    const etime = parseTime('etime', single(q.etime))
    const order = single(q.order) ?? 'asc'
    if (order !== 'asc' && order !== 'desc') throw invalidParam(`order must be asc or desc, not '${order}'`)
    const limit = parseCount('limit', single(q.limit))
    const offset = parseCount('offset', single(q.offset)) ?? 0
    let events = this.core.state.events.filter(e => {
      const t = Date.parse(String(e.time))
      return (stime === undefined || t >= stime) && (etime === undefined || t <= etime)
    })
    if (order === 'desc') events = events.reverse()
    return events.slice(offset, limit === undefined ? undefined : offset + limit)
  }
}

// Never echoed into the event log.
const SECRET = /pass|key|cert/
const scalar = (v: unknown): boolean => v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v)

/**
 * One `<prefix>_<field>_updated` event per changed field, after the docs' example
 * bdb_name_updated {bdb_uid, old_val, new_val}; values only for non-secret scalars.
 */
export function logFieldChanges (core: Core, prefix: string, ids: Json, old: Json, now: Json, keys: readonly string[]): void {
  for (const k of keys) {
    if (JSON.stringify(old[k]) === JSON.stringify(now[k])) continue
    const values = !SECRET.test(k) && scalar(old[k]) && scalar(now[k]) ? { old_val: old[k] ?? null, new_val: now[k] } : {}
    core.log(`${prefix}_${k}_updated`, { ...ids, ...values })
  }
}
