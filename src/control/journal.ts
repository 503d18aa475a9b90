// The request journal: the last N requests the RS side received (never /_mock/ ones), with
// credentials and passwords redacted, for tests to assert on. Redaction happens when it is read.
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

/**
 * What a request leaves on the hot path: references and numbers only. Formatting (ISO time,
 * path, redaction, the login a Basic header claims) waits until the journal is read.
 */
export class PendingEntry {
  status: number | null = null
  duration_ms: number | null = null
  /** the authenticated login; undefined: the one the Authorization header claims */
  user: string | null | undefined = undefined
  body?: unknown
  fault?: number

  constructor (
    readonly id: number,
    readonly timeMs: number,
    /** performance.now() at arrival, for duration_ms */
    private readonly startedAt: number,
    readonly method: string,
    readonly url: string,
    /** the request's own header object, redacted when read */
    readonly headers: Record<string, string | string[] | undefined>
  ) {}

  /** The first call counts: the response finished (its status), or the connection went unanswered (null). */
  close (status: number | null, user: string | undefined, body: unknown): void {
    if (this.duration_ms !== null) return
    this.status = status
    this.duration_ms = Math.round((performance.now() - this.startedAt) * 1000) / 1000
    if (user !== undefined) this.user = user
    if (body !== undefined) this.body = journalBody(body)
  }

  entry (): JournalEntry {
    const auth = this.headers.authorization
    const e: JournalEntry = {
      id: this.id,
      time: new Date(this.timeMs).toISOString(),
      method: this.method,
      url: this.url,
      path: this.url.split('?')[0],
      status: this.status,
      duration_ms: this.duration_ms,
      user: this.user !== undefined ? this.user : claimedUser(Array.isArray(auth) ? auth[0] : auth),
      headers: redactHeaders(this.headers)
    }
    if (this.body !== undefined) e.body = this.body
    if (this.fault !== undefined) e.fault = this.fault
    return e
  }
}

/** The login a Basic Authorization header names, whether or not its password is right. */
export function claimedUser (authorization: string | undefined): string | null {
  const m = /^Basic\s+(\S+)/i.exec(authorization ?? '')
  if (m === null) return null
  const text = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = text.indexOf(':')
  return colon < 0 ? null : text.slice(0, colon)
}

type Stored = PendingEntry | JournalEntry
const format = (s: Stored): JournalEntry => s instanceof PendingEntry ? s.entry() : s

export class Journal {
  // Trimmed to `size` once it holds twice as many: no per-request shifting of a full array.
  private entries: Stored[] = []
  private nextId = 1

  constructor (readonly size: number) {}

  /** The hot path: a request as it arrives (kept only while size > 0). */
  open (timeMs: number, startedAt: number, method: string, url: string, headers: PendingEntry['headers']): PendingEntry {
    const e = new PendingEntry(this.nextId++, timeMs, startedAt, method, url, headers)
    this.keep(e)
    return e
  }

  add (entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const e = { id: this.nextId++, ...entry }
    this.keep(e)
    return e
  }

  private keep (e: Stored): void {
    if (this.size <= 0) return
    this.entries.push(e)
    if (this.entries.length >= 2 * this.size) this.entries.splice(0, this.entries.length - this.size)
  }

  private kept (): JournalEntry[] {
    const from = Math.max(0, this.entries.length - this.size)
    const out: JournalEntry[] = []
    for (let i = from; i < this.entries.length; i++) out.push(format(this.entries[i]))
    return out
  }

  list (filter: JournalFilter = {}): JournalEntry[] {
    const out = this.kept().filter(matcher(filter))
    return filter.limit !== undefined && out.length > filter.limit ? out.slice(out.length - filter.limit) : out
  }

  count (filter: JournalFilter = {}): number { return this.kept().filter(matcher(filter)).length }

  /** Ids keep increasing across a clear, so `since` stays meaningful. */
  clear (): number {
    const n = Math.min(this.entries.length, this.size)
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
