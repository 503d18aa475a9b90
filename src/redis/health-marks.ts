// How a database whose redis-server died or cannot start shows in the API until it is back: status
// `recovery`, its shard unreachable (availability 503 bdb_unavailable) and its node raising
// node_checks_error naming it (docs/decisions.md #47, #59). Cleared when the server answers again.
import type { Store } from '../store/index.js'
import { firstNode } from '../store/databases/index.js'

const ALERT = 'node_checks_error'

function quietly (run: () => void): void {
  // A database deleted meanwhile, or a refused state-file write: nothing to mark.
  try { run() } catch {}
}

export function markDown (store: Store, uid: number, reason: string): void {
  const node = firstNode(store.state)
  quietly(() => store.bdbs.serverDown(uid, true))
  quietly(() => store.health.setHealth(uid, { unavailable: 'shard_unreachable' }))
  if (node !== undefined) {
    quietly(() => store.alerts.raise('node', node.uid, ALERT, { state: true, severity: 'ERROR', change_value: { bdb_uid: String(uid), reason } }))
  }
}

/**
 * Whether an earlier run marked the database down and ended before its server came back (the
 * marks are state, saved with --state-file): its first server clears them.
 */
export function markedDown (store: Store, uid: number): boolean {
  const node = firstNode(store.state)
  const alert = node === undefined ? undefined : store.state.monitoring.alerts.get(`node:${node.uid}:${ALERT}`)
  return String(alert?.change_value.reason ?? '').startsWith('redis-server') && store.state.monitoring.bdbs.get(uid)?.unavailable === 'shard_unreachable'
}

export function markUp (store: Store, uid: number): void {
  const node = firstNode(store.state)
  quietly(() => store.bdbs.serverDown(uid, false))
  quietly(() => store.health.setHealth(uid, { unavailable: null }))
  const still = [...store.state.monitoring.bdbs.entries()].some(([other, m]) => other !== uid && m.unavailable === 'shard_unreachable')
  if (node !== undefined && !still) quietly(() => store.alerts.raise('node', node.uid, ALERT, { state: false }))
}
