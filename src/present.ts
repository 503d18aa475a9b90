// Field projection for every GET that returns objects (DECISIONS #8).

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

interface Shape {
  index: Map<string, number>
  /** the last `fields` array asked of this shape, and those of its fields the shape has, in key order */
  fields?: readonly string[]
  order?: string[]
}

/**
 * `project` for hot lists: the key order of each object is remembered (shared by all objects
 * with the same keys) until `version` (cluster-state-id, bumped by every change) moves, and so
 * is the ordered field list of the request being served: a list of N objects with a few
 * `fields` reads those fields instead of walking all ~140 keys of each bdb, and sorts once.
 * Presence is always checked on the object itself; only the order comes from the memo.
 */
export class Projector {
  private readonly shapeOf = new WeakMap<object, { version: number, shape: Shape }>()
  private readonly shapes = new Map<string, Shape>()

  constructor (private readonly version: () => number, private readonly maxShapes = 64) {}

  project<T extends object> (obj: T, fields: readonly string[] | undefined, omit?: ReadonlySet<string>): Partial<T> {
    if (fields === undefined) return project(obj, fields, omit)
    const shape = this.shape(obj)
    if (shape.fields !== fields) {
      const { index } = shape
      shape.order = [...new Set(fields)].filter(f => index.has(f)).sort((a, b) => index.get(a)! - index.get(b)!)
      shape.fields = fields
    }
    const out: Record<string, unknown> = {}
    for (const f of shape.order!) if (hasOwn.call(obj, f)) out[f] = (obj as Record<string, unknown>)[f]
    return out as Partial<T>
  }

  private shape (obj: object): Shape {
    const version = this.version()
    const known = this.shapeOf.get(obj)
    if (known !== undefined && known.version === version) return known.shape
    const keys = Object.keys(obj)
    const signature = keys.join('\n')
    let shape = this.shapes.get(signature)
    if (shape === undefined) {
      if (this.shapes.size >= this.maxShapes) this.shapes.clear()
      shape = { index: new Map(keys.map((k, i) => [k, i])) }
      this.shapes.set(signature, shape)
    }
    this.shapeOf.set(obj, { version, shape })
    return shape
  }
}

/** `?extended=true` (also `1`, `yes`): include the module configuration sub-objects. */
export const isTrue = (raw: unknown): boolean => raw !== undefined && /^(1|true|yes)$/i.test(String(raw))

/** The query of a write: `?dry_run` counts by its presence, whatever its value (reference §2.4). */
export interface WriteQuery { fields?: string, dry_run?: string }
export const isDryRun = (query: WriteQuery): boolean => query.dry_run !== undefined
