// The in-place restore a refused change rolls back with (core.restore): the state becomes
// deep-equal to an earlier snapshot while its objects keep their identity, so a job holding one
// still sees the live object.
type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map)

function merge (current: unknown, next: unknown): unknown {
  if (next instanceof Map) {
    if (!(current instanceof Map)) return next
    const entries = [...next].map(([k, v]) => [k, merge(current.get(k), v)] as const)
    current.clear()
    for (const [k, v] of entries) current.set(k, v)
    return current
  }
  if (Array.isArray(next)) {
    if (!Array.isArray(current)) return next
    for (let i = 0; i < next.length; i++) current[i] = merge(current[i], next[i])
    current.length = next.length
    return current
  }
  if (isObj(next) && isObj(current)) {
    restoreInto(current, next)
    return current
  }
  return next
}

/** Makes `target` deep-equal to `source`, reusing target's objects where both have them. */
export function restoreInto (target: object, source: object): void {
  const t = target as Obj
  const s = source as Obj
  const before = Object.keys(t)
  const after = Object.keys(s)
  if (before.length === after.length && before.every((k, i) => k === after[i])) {
    for (const k of after) t[k] = merge(t[k], s[k])
    return
  }
  // Key order is part of the wire format: a key deleted and put back must return to its place.
  const old = { ...t }
  for (const k of before) delete t[k]
  for (const k of after) t[k] = merge(old[k], s[k])
}
