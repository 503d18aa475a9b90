// The exporter's answers, loaded on the first scrape (server.ts): a mock nobody scrapes never
// loads the metric table. One set of counters per store, so every node's exporter and both
// paths count alike; they restart from 0 when the whole state is swapped (reset, import).
import type { Store } from '../store/index.js'
import { Counters } from './counters.js'
import { Layout } from './exposition.js'
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

// Each page's layout of its last scrape (exposition.ts), per store, page and node: a scrape whose
// series are the same only writes the numbers into it.
const layoutsOf = new WeakMap<Store, Map<string, Layout>>()

/** Drops STORE's layouts: the next scrape of each page writes every line anew (the same bytes). */
export function forgetLayouts (store: Store): void {
  layoutsOf.delete(store)
}

function layout (store: Store, key: string): Layout {
  let all = layoutsOf.get(store)
  if (all === undefined) layoutsOf.set(store, all = new Map())
  let l = all.get(key)
  if (l === undefined) all.set(key, l = new Layout())
  return l
}

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
  if (page === 'v1') return renderV1(scene, c, layout(ctx.store, page))
  if (page === 'v2') return renderV2(scene, c, {}, layout(ctx.store, page))
  return renderV2(scene, c, { onlyNode: ctx.nodeUid }, layout(ctx.store, `${page}:${ctx.nodeUid}`))
}
