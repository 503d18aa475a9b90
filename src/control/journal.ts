// The request journal: the last N requests the RS side received (never /_mock/ ones), with
// credentials and passwords redacted, for tests to assert on.
export interface JournalEntry {
  id: number
  /** ISO-8601 with milliseconds, on the store's clock */
  time: string
  method: string
  url: string
  path: string
  /** null while the request is in flight, or when it was dropped or hung by a fault */
  status: number | null
  duration_ms: number | null
  /** the authenticated login, else the one a Basic header claimed, else null */
  user: string | null
  headers: Record<string, string | string[]>
  /** the parsed JSON body (absent when the request was refused before its body was read) */
  body?: unknown
  /** id of the fault rule applied to it */
  fault?: number
}

export interface JournalFilter {
  method?: string
  /** a prefix, or a glob when it contains `*` */
  path?: string
  /** exact (`404`) or a class (`4xx`) */
  status?: string | number
  /** entries after this id, or at/after this ISO time */
  since?: string | number
  limit?: number
}

export const REDACTED = '[REDACTED]'
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-mock-control-token'])
const SECRET_KEY = /^(password|new_password|old_password|authentication_.*pass.*)$/i
const MAX_BODY_CHARS = 65_536

export function redactHeaders (headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue
    // The scheme stays visible (a test may assert Basic vs Bearer); the credential does not.
    out[k] = SECRET_HEADERS.has(k) ? (typeof v === 'string' && /^\w+ /.test(v) ? `${v.split(' ')[0]} ${REDACTED}` : REDACTED) : v
  }
  return out
}

export function redactBody (v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactBody)
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) ? REDACTED : redactBody(x)
  return out
}

/** Keeps a body small enough that a full journal stays bounded in memory. */
export function journalBody (body: unknown): unknown {
  if (body === undefined) return undefined
  const redacted = redactBody(body)
  const size = JSON.stringify(redacted)?.length ?? 0
  return size > MAX_BODY_CHARS ? { $truncated: `${size} characters` } : redacted
}

export function globToRegExp (glob: string): RegExp {
  const source = glob.split(/(\*\*|\*|\?)/).map(part =>
    part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('')
  return new RegExp(`^${source}$`)
}

export class Journal {
  private entries: JournalEntry[] = []
  private nextId = 1

  constructor (readonly size: number) {}

  add (entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const e = { id: this.nextId++, ...entry }
    if (this.size <= 0) return e
    this.entries.push(e)
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size)
    return e
  }

  list (filter: JournalFilter = {}): JournalEntry[] {
    const match = matcher(filter)
    const out = this.entries.filter(match)
    return filter.limit !== undefined && out.length > filter.limit ? out.slice(out.length - filter.limit) : out
  }

  count (filter: JournalFilter = {}): number { return this.entries.filter(matcher(filter)).length }

  /** Ids keep increasing across a clear, so `since` stays meaningful. */
  clear (): number {
    const n = this.entries.length
    this.entries = []
    return n
  }
}

function matcher (f: JournalFilter): (e: JournalEntry) => boolean {
  const method = f.method?.toUpperCase()
  const path = f.path === undefined ? undefined : f.path.includes('*') ? globToRegExp(f.path) : f.path
  const status = f.status === undefined ? undefined : String(f.status).toLowerCase()
  const sinceId = typeof f.since === 'number' || /^\d+$/.test(f.since ?? '') ? Number(f.since) : undefined
  const sinceTime = f.since !== undefined && sinceId === undefined ? Date.parse(String(f.since)) : undefined
  return e => (method === undefined || e.method === method) &&
    (path === undefined || (typeof path === 'string' ? e.path.startsWith(path) : path.test(e.path))) &&
    (status === undefined || (/^\dxx$/.test(status) ? e.status !== null && Math.floor(e.status / 100) === Number(status[0]) : String(e.status) === status)) &&
    (sinceId === undefined || e.id > sinceId) &&
    (sinceTime === undefined || Date.parse(e.time) >= sinceTime)
}
