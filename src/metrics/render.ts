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

/**
 * A layout is kept up to this many bytes of text (~1,000 databases on /v2): it holds its text and
 * its last answer, about twice the page. A larger page is written anew on each scrape rather than
 * hold hundreds of MB between scrapes (10,000 databases: a 330 MB page).
 */
export const keepLayout = { maxBytes: 32 * 1024 * 1024 }

/** The bytes of text STORE's kept layouts hold. */
export function keptLayoutBytes (store: Store): number {
  let n = 0
  for (const l of layoutsOf.get(store)?.values() ?? []) n += l.size
  return n
}

export function render (page: Page, ctx: RenderContext): Buffer {
  const scene = readScene(ctx.store, ctx.pem, ctx.live)
  const c = counters(ctx.store)
  const key = page === 'v2-node' ? `${page}:${ctx.nodeUid}` : page
  const l = layout(ctx.store, key)
  const out = page === 'v1' ? renderV1(scene, c, l) : renderV2(scene, c, page === 'v2' ? {} : { onlyNode: ctx.nodeUid }, l)
  if (l.size > keepLayout.maxBytes) layoutsOf.get(ctx.store)?.delete(key)
  return out
}
