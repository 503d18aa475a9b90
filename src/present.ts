// Field projection for every GET that returns objects (DECISIONS #8).

/** `?fields=uid, name,,` → ['uid', 'name']; absent → undefined (all fields); present but empty → [] ({}). */
export function parseFields (raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined
  const text = Array.isArray(raw) ? raw.join(',') : String(raw)
  return text.split(',').map(f => f.trim()).filter(Boolean)
}

/** Exactly the requested fields that exist, in the object's own key order; unknown names ignored. */
export function project<T extends object> (obj: T, fields: readonly string[] | undefined, omit?: ReadonlySet<string>): Partial<T> {
  if (fields === undefined && omit === undefined) return obj
  const wanted = fields === undefined ? undefined : new Set(fields)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) {
    if (wanted !== undefined ? wanted.has(k) : !omit!.has(k)) out[k] = v
  }
  return out as Partial<T>
}

/** `?extended=true` (also `1`, `yes`): include the module configuration sub-objects. */
export const isTrue = (raw: unknown): boolean => raw !== undefined && /^(1|true|yes)$/i.test(String(raw))
