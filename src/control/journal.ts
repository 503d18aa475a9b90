// The request journal: the last N requests the RS side received (never /_mock/ ones), with
// credentials and passwords redacted, for tests to assert on. Redaction happens when it is read.
import { claimedLogin } from '../base/authorization.js'

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

/** Requests the journal keeps unless told otherwise (--journal-size). */
export const DEFAULT_JOURNAL_SIZE = 1000

export const REDACTED = '[REDACTED]'
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-mock-control-token'])
// Private keys of certificates, the LDAP bind password and the credentials of export, import and
// backup locations (objects/bdb/backup_location) too: a secret in a journal is a leak.
const SECRET_KEY = /^(password|new_password|old_password|authentication_.*pass.*|bind_pass|key|secret_access_key|private_key|account_key|sas_token)$/i
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
  // An upload (a module archive): walking its bytes as an object's keys took a second per 255 KB.
  if (body instanceof Uint8Array) return { $binary: `${body.length} bytes` }
  const redacted = redactBody(body)
  const size = JSON.stringify(redacted)?.length ?? 0
  return size > MAX_BODY_CHARS ? { $truncated: `${size} characters` } : redacted
}

export function globToRegExp (glob: string): RegExp {
  const source = glob.split(/(\*\*|\*|\?)/).map(part =>
    part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('')
  return new RegExp(`^${source}$`)
}

// The request text of an entry: method, url, then header names and values, NUL-separated (HTTP
// forbids NUL in all of them); a name marked with \u0001 held a list (set-cookie).
const SEP = '\u0000'
const LIST = '\u0001'
const BYTES_PER_ENTRY = 2048
const MIN_ARENA = 64 * 1024
const MAX_ARENA = 64 * 1024 * 1024
const MAX_URL_CHARS = 8192
// Buffer#utf8Write: what Buffer#write calls after sorting out its optional arguments (untyped,
// so Buffer#write stands in should a Node version lack it).
type Utf8Writable = Buffer & { utf8Write(text: string, offset: number): number }
const writeUtf8: (buffer: Buffer, text: string, offset: number) => number =
  typeof (Buffer.prototype as Partial<Utf8Writable>).utf8Write === 'function'
    ? (buffer, text, offset) => (buffer as Utf8Writable).utf8Write(text, offset)
    : (buffer, text, offset) => buffer.write(text, offset)

/** The same raw header lines, in the same order. */
function sameLines (a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false
  return true
}

/**
 * The last `size` requests, as a ring of slots. A request leaves numbers in typed columns and its
 * text (method, url, headers) in a byte arena outside the JS heap: nothing it records is a young
 * object that the garbage collector must copy while the entry lives. Formatting (ISO time, path,
 * redaction, the login a Basic header claims) waits until the journal is read. The arena holds
 * about 2 KiB of request text per slot; requests with much larger headers can push the oldest
 * entries out before `size` newer ones arrived (entries that share one text go together).
 */
export class Journal {
  private nextId = 1
  /** ids below it were cleared */
  private firstKept = 1
  private readonly ids: Float64Array
  private readonly times: Float64Array
  /** NaN while the request is in flight */
  private readonly durations: Float64Array
  /** 0: no answer (null) */
  private readonly statuses: Uint16Array
  /** 0: no fault rule */
  private readonly faults: Uint32Array
  /** absolute arena offset and byte length of the request text */
  private readonly textAt: Float64Array
  private readonly textLen: Uint32Array
  /** characters of headers too large to keep (0: kept) */
  private readonly dropped: Uint32Array
  /** the authenticated login; undefined: the one the Authorization header claims */
  private readonly users: Array<string | null | undefined>
  private readonly bodies: unknown[]
  private arena: Buffer | undefined
  private readonly arenaBytes: number
  private written = 0
  /** The last request whose text was written: its method, URL and raw header lines, and a slot
   *  holding its text's place (every entry since shares that text, so any of theirs would do). */
  private lastMethod = ''
  private lastUrl = ''
  private lastLines: readonly string[] | undefined
  private lastSlot = -1

  constructor (readonly size: number) {
    const n = Math.max(0, size)
    this.ids = new Float64Array(n)
    this.times = new Float64Array(n)
    this.durations = new Float64Array(n)
    this.statuses = new Uint16Array(n)
    this.faults = new Uint32Array(n)
    this.textAt = new Float64Array(n)
    this.textLen = new Uint32Array(n)
    this.dropped = new Uint32Array(n)
    this.users = new Array(n).fill(undefined)
    this.bodies = new Array(n).fill(undefined)
    this.arenaBytes = Math.min(MAX_ARENA, Math.max(MIN_ARENA, n * BYTES_PER_ENTRY))
  }

  /**
   * The hot path: a request as it arrives; its id (0 when the journal keeps nothing). LINES are
   * its raw header lines (Node's `rawHeaders`), which HEADERS were parsed from: a request with the
   * method, URL and lines of the last request written (a client polling with the same headers)
   * shares that request's text instead of writing its own copy; nothing is written meanwhile, so
   * the shared text stays the newest in the arena.
   */
  open (timeMs: number, method: string, url: string, headers: Record<string, string | string[] | undefined>, lines?: readonly string[]): number {
    if (this.size <= 0) return 0
    const id = this.nextId++
    const i = id % this.size
    this.ids[i] = id
    this.times[i] = timeMs
    this.durations[i] = NaN
    this.statuses[i] = 0
    this.faults[i] = 0
    this.users[i] = undefined
    this.bodies[i] = undefined
    const last = this.lastSlot
    if (lines !== undefined && this.lastLines !== undefined && method === this.lastMethod && url === this.lastUrl && sameLines(lines, this.lastLines)) {
      this.textAt[i] = this.textAt[last]
      this.textLen[i] = this.textLen[last]
      this.dropped[i] = this.dropped[last]
      this.lastSlot = i
      return id
    }
    let text = method + SEP + (url.length > MAX_URL_CHARS ? url.slice(0, MAX_URL_CHARS) : url)
    const head = text.length
    for (const k in headers) {
      const v = headers[k]
      if (typeof v === 'string') text += SEP + k + SEP + v
      else if (v !== undefined) for (const x of v) text += SEP + LIST + k + SEP + x
    }
    const arena = this.arena ??= Buffer.allocUnsafe(this.arenaBytes)
    this.dropped[i] = 0
    if (text.length * 3 > arena.length / 4) {
      this.dropped[i] = text.length - head
      text = text.slice(0, head)
    }
    let pos = this.written % arena.length
    // utf8 takes at most 3 bytes per UTF-16 unit: a text that might not fit starts the arena over
    if (pos + text.length * 3 > arena.length) {
      this.written += arena.length - pos
      pos = 0
    }
    const bytes = writeUtf8(arena, text, pos)
    this.textAt[i] = this.written
    this.textLen[i] = bytes
    this.lastMethod = method
    this.lastUrl = url
    this.lastLines = lines
    this.lastSlot = i
    this.written += bytes
    return id
  }

  /** The fault rule applied to request ID. */
  fault (id: number, rule: number): void {
    const i = this.slot(id)
    if (i >= 0) this.faults[i] = rule
  }

  /** The first call counts: the answer is sent (its status), or the connection went unanswered (null), ELAPSED ms after arrival. */
  close (id: number, status: number | null, user: string | undefined, body: unknown, elapsed: number): void {
    const i = this.slot(id)
    if (i < 0 || !Number.isNaN(this.durations[i])) return
    this.statuses[i] = status ?? 0
    this.durations[i] = Math.round(elapsed * 1000) / 1000
    if (user !== undefined) this.users[i] = user
    if (body !== undefined) this.bodies[i] = journalBody(body)
  }

  list (filter: JournalFilter = {}): JournalEntry[] {
    const out = this.kept().filter(matcher(filter))
    return filter.limit !== undefined && out.length > filter.limit ? out.slice(out.length - filter.limit) : out
  }

  count (filter: JournalFilter = {}): number { return this.kept().filter(matcher(filter)).length }

  /** Ids keep increasing across a clear, so `since` stays meaningful. */
  clear (): number {
    const n = this.kept().length
    this.firstKept = this.nextId
    return n
  }

  /** The slot of a live entry, -1 when ID was never kept or its slot was taken since. */
  private slot (id: number): number {
    if (id <= 0 || this.size <= 0) return -1
    const i = id % this.size
    return this.ids[i] === id ? i : -1
  }

  private kept (): JournalEntry[] {
    const out: JournalEntry[] = []
    for (let id = Math.max(this.firstKept, this.nextId - this.size); id < this.nextId; id++) {
      const i = this.slot(id)
      // Its text was overwritten by later (larger) requests: the entry has gone.
      if (i >= 0 && this.written - this.textAt[i] <= this.arenaBytes) out.push(this.entry(i))
    }
    return out
  }

  private entry (i: number): JournalEntry {
    const at = this.textAt[i] % this.arenaBytes
    const parts = this.arena!.toString('utf8', at, at + this.textLen[i]).split(SEP)
    const raw: Record<string, string | string[]> = {}
    for (let k = 2; k + 1 < parts.length; k += 2) {
      const name = parts[k]
      if (name.startsWith(LIST)) {
        const key = name.slice(1)
        const list = raw[key]
        raw[key] = Array.isArray(list) ? [...list, parts[k + 1]] : [parts[k + 1]]
      } else raw[name] = parts[k + 1]
    }
    const user = this.users[i]
    const url = parts[1]
    const e: JournalEntry = {
      id: this.ids[i],
      time: new Date(this.times[i]).toISOString(),
      method: parts[0],
      url,
      path: url.split('?')[0],
      status: this.statuses[i] === 0 ? null : this.statuses[i],
      duration_ms: Number.isNaN(this.durations[i]) ? null : this.durations[i],
      user: user !== undefined ? user : claimedLogin(raw.authorization),
      headers: this.dropped[i] > 0 ? { $truncated: `${this.dropped[i]} characters` } : redactHeaders(raw)
    }
    if (this.bodies[i] !== undefined) e.body = this.bodies[i]
    if (this.faults[i] !== 0) e.fault = this.faults[i]
    return e
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
