// Small pieces the store's collections share (databases, nodes, users, roles, Redis ACLs, proxies).
import { nameAlreadyExists } from '../../base/errors.js'
import type { Core } from './core.js'
import type { Json, State, UidKind } from './state.js'

/** The object under `uid`, or the resource's documented 404 (docs/decisions.md #5). */
export function mustGet<K, V> (items: ReadonlyMap<K, V>, key: K, notFound: (key: K) => Error): V {
  const found = items.get(key)
  if (found === undefined) throw notFound(key)
  return found
}

/** The next uid of a kind: one past the highest it ever had, deleted objects included (RS never
 *  reuses one: recorded user uids only increase across create/delete cycles). */
export function nextUid (state: State, kind: UidKind): number {
  let max = state.lastUids[kind]
  for (const uid of state[kind].keys()) if (uid > max) max = uid
  return max + 1
}

/** Called as an object is deleted: its uid stays used. */
export function retireUid (state: State, kind: UidKind, uid: number): void {
  if (uid > state.lastUids[kind]) state.lastUids[kind] = uid
}

export const noUidsRetired = (): State['lastUids'] => ({ bdbs: 0, users: 0, roles: 0, redisAcls: 0 })

/** The captured user object has its keys in sorted order; new objects keep that order. */
export function sortKeys<T extends object> (obj: T): T {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) as T
}

/** Keeps the listed keys first, in this order, then the rest as they come (roles, Redis ACLs). */
export function leadingKeys<T extends object> (obj: T, first: readonly string[]): T {
  const entries = Object.entries(obj)
  const head = first.flatMap(k => entries.filter(([key]) => key === k))
  return Object.fromEntries([...head, ...entries.filter(([k]) => !first.includes(k))]) as T
}

/** Refuses a name another object of the collection already holds (roles, Redis ACLs). */
export function checkUniqueName (items: ReadonlyMap<number, { uid: number, name?: unknown }>, kind: string, name: string | undefined, self?: number): void {
  if (name === undefined) return
  for (const other of items.values()) if (other.uid !== self && other.name === name) throw nameAlreadyExists(kind, name)
}

/** Stores a created or updated object as one change, with its event in /v1/logs. */
export function commitWrite<T extends { uid: number }> (core: Core, items: Map<number, T>, item: T, event: string, fields: Json): T {
  items.set(item.uid, item)
  core.log(event, fields)
  core.changed()
  return item
}

/** Removes an object as one change, with its event in /v1/logs; its uid is never handed out again. */
export function commitDelete (core: Core, kind: 'roles' | 'redisAcls', uid: number, event: string, fields: Json): void {
  core.state[kind].delete(uid)
  retireUid(core.state, kind, uid)
  core.log(event, fields)
  core.changed()
}
