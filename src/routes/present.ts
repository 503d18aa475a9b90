// Field projection for every GET that returns objects (docs/decisions.md #8).

/** `?fields=uid, name,,` → ['uid', 'name']; absent → undefined (all fields); present but empty → [] ({}). */
export function parseFields (raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined
  const text = Array.isArray(raw) ? raw.join(',') : String(raw)
  return text.split(',').map(f => f.trim()).filter(Boolean)
}

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Exactly the requested fields that exist, in the object's own key order; unknown names ignored.
 * Hot on every list: `for…in` walks V8's cached key list without allocating entries, and an
 * object holding none of the omitted keys is returned as it is (serialized at once, never kept).
 */
export function project<T extends object> (obj: T, fields: readonly string[] | ReadonlySet<string> | undefined, omit?: ReadonlySet<string>): Partial<T> {
  if (fields === undefined) {
    if (omit === undefined || !holdsAny(obj, omit)) return obj
    const out: Record<string, unknown> = {}
    for (const k in obj) if (hasOwn.call(obj, k) && !omit.has(k)) out[k] = obj[k]
    return out as Partial<T>
  }
  const wanted = fields instanceof Set ? fields as ReadonlySet<string> : new Set(fields)
  const out: Record<string, unknown> = {}
  for (const k in obj) if (wanted.has(k) && hasOwn.call(obj, k)) out[k] = obj[k]
  return out as Partial<T>
}

function holdsAny (obj: object, keys: ReadonlySet<string>): boolean {
  for (const k of keys) if (hasOwn.call(obj, k)) return true
  return false
}

/** `?extended=true` (also `1`, `yes`): include the module configuration sub-objects. */
export const isTrue = (raw: unknown): boolean => raw !== undefined && /^(1|true|yes)$/i.test(String(raw))

/** The query of a write: `?dry_run` counts by its presence, whatever its value (docs/rs-api-notes.md §2.4). */
export interface WriteQuery { fields?: string, dry_run?: string }
export const isDryRun = (query: WriteQuery): boolean => query.dry_run !== undefined

/** ?extra_info_keys=a&extra_info_keys=b (the shards page), or a,b: the INFO fields asked for, at most 100. */
export function infoKeys (raw: string | string[] | undefined): string[] {
  const all = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap(k => k.split(','))
  return [...new Set(all.map(k => k.trim()).filter(k => /^[a-z0-9_]{1,64}$/.test(k)))].slice(0, 100)
}
