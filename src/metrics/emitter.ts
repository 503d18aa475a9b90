// Where /v2's series go: the exposition, or nowhere when they belong to another node than
// /v2/node's (its own module, so that v2.ts and v2-shards.ts both use it without a circle).
import type { Exposition, Labels } from './exposition.js'
import type { Scene } from './scene.js'

export const r3 = (x: number): number => Math.round(x * 1000) / 1000

export interface V2Options {
  /** /v2/node: only this node's series, without the cluster and node labels */
  onlyNode?: number
}

/** Adds series, or skips them when they belong to another node than /v2/node's. */
export class Emitter {
  constructor (readonly out: Exposition, readonly scene: Scene, readonly options: V2Options) {}

  /** The labels of an object on NODE (undefined: cluster-wide, reported by the master's /v2/node). */
  labels (labels: Labels, node?: number): Labels | undefined {
    const only = this.options.onlyNode
    if (only === undefined) return labels
    if ((node ?? this.scene.master) !== only) return undefined
    const { cluster: _c, node: _n, ...rest } = labels
    return rest
  }

  put (name: string, labels: Labels | undefined, value: number): void {
    if (labels !== undefined) this.out.add(name, labels, value)
  }

  histogram (name: string, labels: Labels | undefined, h: { buckets: number[], sum: number, count: number }, bounds: readonly number[]): void {
    if (labels !== undefined) this.out.histogram(name, labels, bounds, h.buckets, r3(h.sum), r3(h.count), r3)
  }
}
