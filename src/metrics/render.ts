// The exporter's answers, loaded on the first scrape (server.ts): a mock nobody scrapes never
// loads the metric table. One set of counters per store, so every node's exporter and both
// paths count alike; they restart from 0 when the whole state is swapped (reset, import).
import type { Store } from '../store/index.js'
import { Counters } from './counters.js'
import { readScene, type LiveTotals } from './scene.js'
import { renderV1 } from './v1.js'
import { renderV2 } from './v2.js'

const countersOf = new WeakMap<Store, Counters>()

function counters (store: Store): Counters {
  let c = countersOf.get(store)
  if (c === undefined) {
    const made = c = new Counters()
    countersOf.set(store, made)
    store.onReset(() => made.clear())
  }
  return c
}

export type Page = 'v1' | 'v2' | 'v2-node'

export interface RenderContext {
  store: Store
  nodeUid: number
  /** the certificate served (node_cert_expires_in_seconds) */
  pem?: string
  live?: (uid: number) => LiveTotals | undefined
}

export function render (page: Page, ctx: RenderContext): Buffer {
  const scene = readScene(ctx.store, ctx.pem, ctx.live)
  const c = counters(ctx.store)
  if (page === 'v1') return renderV1(scene, c)
  return renderV2(scene, c, page === 'v2-node' ? { onlyNode: ctx.nodeUid } : {})
}
