// /v1/cluster/stats, /v1/nodes/stats, /v1/bdbs/stats, /v1/shards/stats and /v1/endpoints/stats
// (docs/rs-api-notes.md §5.11): which objects have statistics, their errors, and the response shapes.
// Bdb and shard uids are strings, node uids integers, the cluster's uid "" (captures).
import type { Bdb } from '../../schemas/bdb.js'
import {
  bdbInRecovery, bdbNotActive, bdbNotFound, noBdbs, nodeNotActive, nodeNotFound, noShards, shardNotFound
} from '../../base/errors.js'
import type { Core, Json } from '../kernel/index.js'
import { isServing, type Health } from './health.js'
import {
  addShard, bdbMetrics, clusterMetrics, emptyLoad, endpointMetrics, nodeMetrics, shardMetrics, type Node
} from './stats-model.js'
import { slotRange, type Placed, type Placement, type Shards } from '../topology/index.js'
import { lastSample, select, timeSeries, type Metrics, type Sample, type StatSource, type StatsQuery, type TimeSeries } from './stats-series.js'
import { modelledInfo, redisInfo, type InfoFields } from './redis-info.js'

/** Stats.current(): the bucket's start (epoch ms) and each object's sample, by uid. */
export interface CurrentSamples {
  start: number
  bdbs: Map<number, Metrics>
  nodes: Map<number, Metrics>
  shards: Map<number, Metrics>
  /** one per endpoint and proxy (a node uid) */
  endpoints: Array<{ uid: string, bdb: Bdb, proxy: number, port: number, sample: Metrics }>
  placed: Placed
}
export { intervalNames } from './stats-series.js'

const QUIET_OPS = 5

/** A shard's series names where it runs, as the shard stats pages show (uid and node_uid strings). */
const shardSeries = (s: Placement, ts: TimeSeries): TimeSeries => ({
  ...ts,
  assigned_slots: slotRange(s.index % Math.max(1, s.bdb.shards_count), Math.max(1, s.bdb.shards_count)),
  node_uid: String(s.nodeUid),
  role: s.master ? 'master' : 'slave',
  status: isServing(s.bdb) ? 'active' : 'inactive'
})

export class Stats {
  /** Measured values for a bucket (src/redis/: a real server's INFO), over the model's. */
  live?: (bdb: Bdb, start: number, len: number) => Metrics | undefined
  /** with --redis: the last INFO of a database's server (src/redis/) */
  liveInfo?: (bdbUid: number) => InfoFields | undefined

  constructor (private readonly core: Core, private readonly health: Health, private readonly shards: Shards) {}

  private get nodes (): Node[] { return [...this.core.state.nodes.values()] }
  private get since (): number { return Date.parse(String(this.core.state.cluster.created_time ?? '')) || 0 }
  private now (): number { return this.core.now() }

  /** A node's metrics of the last second (its CPU for the node alerts). */
  nodeNow (uid: number): Metrics {
    const now = this.now()
    return this.nodeSample(this.statNode(uid), this.shards.placement().onNode(uid), now - 1000, 1000)
  }

  /** POST /v1/bdbs/{uid}/command without --redis: the keys and INFO fields of the database's first master. */
  modelView (bdb: Bdb): { keys: number, info: Record<string, string | number> } {
    const now = this.now()
    const m = this.bdbSample(bdb, now - 1000, 1000)
    const first = this.shards.placement().byBdb.get(bdb.uid)?.[0]
    return { keys: Number(m.no_of_keys), info: first === undefined ? {} : modelledInfo(first, shardMetrics(first, m), now) }
  }

  /** GET /v1/shards?extra_info_keys=: the fields asked for, from the last second's metrics or the server's INFO. */
  redisInfo (p: Placement, keys: readonly string[]): Json {
    const now = this.now()
    return redisInfo(p, keys, shardMetrics(p, this.bdbSample(p.bdb, now - 1000, 1000)), this.liveInfo?.(p.bdb.uid), now)
  }

  // ---- sources: one per object, computing a bucket's metrics on demand

  private bdbSample (bdb: Bdb, start: number, len: number): Metrics {
    const model = bdbMetrics(bdb, this.health.monitor(bdb), start, len)
    const measured = this.live?.(bdb, start, len)
    return measured === undefined ? model : Object.assign(model, measured)
  }

  private bdbSource (bdb: Bdb): StatSource {
    return {
      uid: String(bdb.uid),
      since: Date.parse(bdb.created_time) || 0,
      quiet: Number(this.live?.(bdb, this.now() - 1000, 1000)?.total_req ?? this.health.monitor(bdb).ops_per_sec) < QUIET_OPS,
      metrics: (start, len) => this.bdbSample(bdb, start, len)
    }
  }

  private shardSource (s: Placement): StatSource {
    return {
      ...this.bdbSource(s.bdb),
      uid: String(s.uid),
      metrics: (start, len) => shardMetrics(s, this.bdbSample(s.bdb, start, len))
    }
  }

  private nodeSample (node: Node, shards: Placement[], start: number, len: number): Metrics {
    const load = emptyLoad()
    // each serving database's bucket once, however many of its shards run here
    const samples = new Map<Bdb, Metrics>()
    for (const s of shards) {
      if (!isServing(s.bdb)) continue
      let db = samples.get(s.bdb)
      if (db === undefined) samples.set(s.bdb, db = this.bdbSample(s.bdb, start, len))
      addShard(load, s, db)
    }
    return nodeMetrics(node, load, start, len)
  }

  /** A node's series: its shards are placed once, not per bucket. */
  private nodeSource (node: Node, placed = this.shards.placement()): StatSource {
    const shards = placed.onNode(node.uid)
    return { uid: node.uid, since: this.since, quiet: false, metrics: (start, len) => this.nodeSample(node, shards, start, len) }
  }

  private clusterSource (): StatSource {
    const placed = this.shards.placement()
    const nodes = this.nodes.map(n => this.nodeSource(n, placed))
    return {
      uid: '',
      since: this.since,
      quiet: false,
      metrics: (start, len) => clusterMetrics(nodes.map(n => n.metrics(start, len)))
    }
  }

  // ---- lookups with the documented errors

  private statBdb (uid: number): Bdb {
    const bdb = this.core.state.bdbs.get(uid)
    if (bdb === undefined) throw bdbNotFound(uid)
    if (bdb.status === 'recovery') throw bdbInRecovery(uid)
    if (!isServing(bdb)) throw bdbNotActive(uid, bdb.status)
    return bdb
  }

  private statBdbs (): Bdb[] {
    if (this.core.state.bdbs.size === 0) throw noBdbs()
    return [...this.core.state.bdbs.values()].filter(isServing)
  }

  private statNode (uid: number): Node {
    const node = this.core.state.nodes.get(uid)
    if (node === undefined) throw nodeNotFound(uid)
    if (node.status !== undefined && node.status !== 'active') throw nodeNotActive(uid, String(node.status))
    return node
  }

  private statShard (uid: number): Placement {
    const s = this.shards.placement().byUid.get(uid)
    if (s === undefined) throw shardNotFound(uid)
    this.statBdb(s.bdb.uid)
    return s
  }

  private statShards (parentUid?: string): Placement[] {
    if (parentUid !== undefined) {
      const bdb = /^\d+$/.test(parentUid) ? this.core.state.bdbs.get(Number(parentUid)) : undefined
      if (bdb === undefined) throw bdbNotFound(parentUid)
      return this.shards.placement().byBdb.get(this.statBdb(bdb.uid).uid) ?? []
    }
    const all = [...this.shards.placement().byBdb.values()].flat()
    if (all.length === 0) throw noShards()
    return all.filter(s => isServing(s.bdb))
  }

  // ---- the routes' answers

  private series (sources: StatSource[], q: StatsQuery): TimeSeries[] {
    const sel = select(q)
    return sources.map(src => timeSeries(src, sel, this.now()))
  }

  private lastBy (sources: StatSource[], q: StatsQuery): Record<string, Sample> {
    return Object.fromEntries(sources.map(src => [String(src.uid), lastSample(src, q, this.now())]))
  }

  cluster (q: StatsQuery): TimeSeries { return this.series([this.clusterSource()], q)[0] }
  clusterLast (q: StatsQuery): Sample { return lastSample(this.clusterSource(), q, this.now()) }

  private activeNodeSources (): StatSource[] {
    const placed = this.shards.placement()
    return this.nodes.filter(n => (n.status ?? 'active') === 'active').map(n => this.nodeSource(n, placed))
  }

  nodesAll (q: StatsQuery): TimeSeries[] { return this.series(this.activeNodeSources(), q) }
  node (uid: number, q: StatsQuery): TimeSeries { return this.series([this.nodeSource(this.statNode(uid))], q)[0] }
  nodesLast (q: StatsQuery): Record<string, Sample> { return this.lastBy(this.activeNodeSources(), q) }
  nodeLast (uid: number, q: StatsQuery): Record<string, Sample> { return this.lastBy([this.nodeSource(this.statNode(uid))], q) }

  bdbsAll (q: StatsQuery): TimeSeries[] { return this.series(this.statBdbs().map(b => this.bdbSource(b)), q) }
  bdb (uid: number, q: StatsQuery): TimeSeries { return this.series([this.bdbSource(this.statBdb(uid))], q)[0] }
  bdbsLast (q: StatsQuery): Record<string, Sample> { return this.lastBy(this.statBdbs().map(b => this.bdbSource(b)), q) }
  bdbLast (uid: number, q: StatsQuery): Record<string, Sample> { return this.lastBy([this.bdbSource(this.statBdb(uid))], q) }

  shardsAll (q: StatsQuery): TimeSeries[] {
    const shards = this.statShards(q.parent_uid)
    return this.series(shards.map(s => this.shardSource(s)), q).map((ts, i) => shardSeries(shards[i], ts))
  }

  shard (uid: number, q: StatsQuery): TimeSeries {
    const s = this.statShard(uid)
    return shardSeries(s, this.series([this.shardSource(s)], q)[0])
  }

  shardsLast (q: StatsQuery): Record<string, Sample> { return this.lastBy(this.statShards(q.parent_uid).map(s => this.shardSource(s)), q) }
  shardLast (uid: number, q: StatsQuery): Record<string, Sample> { return this.lastBy([this.shardSource(this.statShard(uid))], q) }

  /**
   * The newest complete 1sec sample of every object the stats routes report ("last": the same bucket and
   * values), each database sampled once: what the metrics exporter (src/metrics/) serves.
   */
  current (): CurrentSamples {
    const len = 1000
    const start = Math.floor(this.now() / len) * len - len
    const placed = this.shards.placement()
    const dbs = new Map<number, Metrics>()
    for (const bdb of this.core.state.bdbs.values()) if (isServing(bdb)) dbs.set(bdb.uid, this.bdbSample(bdb, start, len))
    const nodes = new Map<number, Metrics>()
    for (const node of this.nodes) {
      if ((node.status ?? 'active') !== 'active') continue
      const load = emptyLoad()
      for (const s of placed.onNode(node.uid)) {
        const db = dbs.get(s.bdb.uid)
        if (db !== undefined) addShard(load, s, db)
      }
      nodes.set(node.uid, nodeMetrics(node, load, start, len))
    }
    const shards = new Map<number, Metrics>()
    for (const list of placed.byBdb.values()) {
      for (const s of list) {
        const db = dbs.get(s.bdb.uid)
        if (db !== undefined) shards.set(s.uid, shardMetrics(s, db))
      }
    }
    // each endpoint once per proxy, on the nodes of its database's masters, as endpoints() below
    const endpoints: CurrentSamples['endpoints'] = []
    for (const bdb of this.core.state.bdbs.values()) {
      const db = dbs.get(bdb.uid)
      if (db === undefined) continue
      const proxies = [...new Set((placed.byBdb.get(bdb.uid) ?? []).filter(s => s.master).map(s => s.nodeUid))]
      if (proxies.length === 0) proxies.push(this.nodes[0]?.uid ?? 1)
      for (const ep of bdb.endpoints ?? []) {
        for (const proxy of proxies) endpoints.push({ uid: ep.uid, bdb, proxy, port: ep.port, sample: endpointMetrics(db, proxies.length) })
      }
    }
    return { start, bdbs: dbs, nodes, shards, endpoints, placed }
  }

  /** One series per endpoint and proxy ("<endpoint uid>:<proxy uid>"), for the serving databases. */
  endpoints (q: StatsQuery): TimeSeries[] {
    const nodes = this.nodes
    const placed = this.shards.placement()
    const sources: StatSource[] = []
    for (const bdb of this.core.state.bdbs.values()) {
      if (!isServing(bdb)) continue
      const proxies = [...new Set((placed.byBdb.get(bdb.uid) ?? []).filter(s => s.master).map(s => s.nodeUid))]
      if (proxies.length === 0) proxies.push(nodes[0]?.uid ?? 1)
      for (const ep of bdb.endpoints ?? []) {
        for (const proxy of proxies) {
          sources.push({
            ...this.bdbSource(bdb),
            uid: `${ep.uid}:${proxy}`,
            quiet: false,
            metrics: (start, len) => endpointMetrics(this.bdbSample(bdb, start, len), proxies.length)
          })
        }
      }
    }
    return this.series(sources, q)
  }
}
