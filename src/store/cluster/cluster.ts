// The cluster as a whole: cluster object and policy, nodes, license, modules (docs/rs-api-notes.md §5.1, 5.2, 5.9, 5.10).
import { licenseNotFound, moduleNotFound, nodeNotFound } from '../../base/errors.js'
import { logFieldChanges, mustGet, type Core, type Json } from '../kernel/index.js'
import { shardsInUse } from '../databases/index.js'
import { parseLicense, presentLicense } from '../settings/index.js'
import type { Shards } from '../topology/index.js'

/** Node 1's host name is the bootstrap's (`mock-node-1`); the others follow it (`mock-node-2`, ...). */
function hostnameOf (uid: number, first: unknown): string {
  if (typeof first !== 'string' || first === '') return `node${uid}`
  return uid === 1 ? first : `${first.replace(/-?\d+$/, '')}-${uid}`
}

export class Cluster {
  constructor (private readonly core: Core, private readonly shards: Shards) {}

  get (): Json { return this.core.state.cluster }

  /** PUT /v1/cluster: the body is schema-checked to writable fields; answers the whole object. */
  update (body: Json, dryRun = false): Json {
    const old = this.core.state.cluster
    const next = { ...old }
    for (const [k, v] of Object.entries(body)) next[k] = structuredClone(v)
    if (dryRun) return next
    this.core.state.cluster = next
    logFieldChanges(this.core, 'cluster', {}, old, next, Object.keys(body))
    this.core.changed()
    return next
  }

  policy (): Json { return this.core.state.policy }

  updatePolicy (body: Json): void {
    const old = this.core.state.policy
    this.core.state.policy = { ...old, ...structuredClone(body) }
    logFieldChanges(this.core, 'cluster_policy', {}, old, this.core.state.policy, Object.keys(body))
    this.core.changed()
  }

  nodes (): Json[] { return [...this.core.state.nodes.values()].map(n => this.present(n)) }

  node (uid: number): Json & { uid: number } { return this.present(mustGet(this.core.state.nodes, uid, nodeNotFound)) }

  /** `uptime` goes on with the clock from the stored value (0 right after bootstrap). */
  private present<T extends Json> (node: T): T {
    const elapsed = Math.max(0, Math.floor((this.core.now() - this.core.upSinceMs) / 1000))
    return typeof node.uptime === 'number' && elapsed > 0 ? { ...node, uptime: node.uptime + elapsed } : node
  }

  /** GET /v1/nodes/{uid}/status: memory left after the databases' shards, shard uids by role. */
  nodeStatus (uid: number): Json {
    const node = this.node(uid)
    const { state } = this.core
    const master: number[] = []
    const slave: number[] = []
    let used = 0
    for (const s of this.shards.placement().onNode(uid)) {
      ;(s.master ? master : slave).push(s.uid)
      used += s.bdb.memory_size / Math.max(1, s.bdb.shards_count)
    }
    const total = Number(node.total_memory ?? 0)
    const free = Math.max(0, Math.round(total - used))
    const info = state.bootstrap.local_node_info as Json | undefined
    // The page: present while a maintenance snapshot exists (maintenance running or not ended).
    const snapshot = state.nodeOps.snapshots.find(n => n.node_uid === String(uid) && n.maintenance === true)
    return {
      cores: node.cores,
      free_provisional_ram: free,
      free_ram: free,
      hostname: hostnameOf(uid, info?.short_hostname),
      ...(snapshot === undefined ? {} : { maintenance_snapshot: { created_time: snapshot.created_time, name: snapshot.name, node_uid: snapshot.node_uid } }),
      master_shards: master.sort((a, b) => a - b),
      node_overbooking_depth: 0,
      node_status: node.status,
      role: uid === state.masterUid ? 'master' : 'slave',
      slave_shards: slave.sort((a, b) => a - b),
      software_version: node.software_version,
      software_version_sha: String(info?.cnm_version_sha ?? ''),
      total_memory: total,
      total_provisional_ram: total
    }
  }

  nodesStatus (): Json {
    return Object.fromEntries(this.nodes().map(n => [String(n.uid), this.nodeStatus(n.uid as number)]))
  }

  license (): Json {
    const lic = this.core.state.license
    if (lic === null) throw licenseNotFound()
    return presentLicense(lic, this.core.now())
  }

  installLicense (text: string): Json {
    const { state } = this.core
    state.license = parseLicense(text, this.core.now(), { clusterName: String(state.cluster.name), shardsInUse: shardsInUse(state) })
    this.core.log('cluster_license_updated', { expiration_date: state.license.expiration_date })
    this.core.changed()
    return this.license()
  }

  modules (): Json[] { return this.core.state.modules }

  module (uid: string): Json {
    const found = this.core.state.modules.find(m => m.uid === uid)
    if (found === undefined) throw moduleNotFound(uid)
    return found
  }

  /** GET /v1/local/node/master_healthcheck */
  masterHealthcheck (): Json { return { status: this.core.state.inCluster ? 'active' : 'inactive' } }
}
