// The Active-Active objects as plain data (the RS docs' crdb, crdb_task and health report objects; docs/rs-api-notes.md §5.14):
// the stored CRDB and task, their wire form, the member database a CRDB asks of a cluster, and
// the requests a coordinator sends to the other clusters. No rules, no I/O.
import type { Bdb } from '../../schemas/bdb.js'
import { sortKeys, type Crdb, type CrdbCluster, type CrdbEntry, type CrdbInstance, type CrdbOp, type Json } from '../kernel/index.js'

export type { Crdb, CrdbCluster, CrdbEntry, CrdbInstance, CrdbOp, CrdbTaskEntry, TaskPhase } from '../kernel/index.js'

/** A request the coordinator sends to another cluster's API, with that cluster's login. */
export interface PeerRequest {
  instanceId: number
  cluster: CrdbCluster
  method: 'POST' | 'PUT' | 'DELETE'
  path: string
  body?: unknown
  /** the sending cluster's name (the peer marks the request as coming from a coordinator) */
  origin: string
  /** a failure does not fail the task (removal with force_remove) */
  optional?: boolean
  /** undone (DELETE) on the peer if the task fails: it created a member there */
  joins?: boolean
}
export interface PeerOutcome { ok: boolean, error_code?: string, description?: string }
/** Sends the requests, each answered by an outcome (never rejects). */
export type PeerTransport = (requests: PeerRequest[]) => Promise<PeerOutcome[]>

export const OPERATIONS: Record<CrdbOp['kind'], string> = {
  create: 'create_crdb', update: 'update_crdb', delete: 'delete_crdb', flush: 'flush_crdb', purge: 'purge_crdb', upgrade: 'upgrade_crdb'
}

/** The CRDB as the API shows it: sorted keys, no credentials or private keys (docs/decisions.md #32). */
export function presentCrdb (entry: CrdbEntry): Json {
  const { crdb } = entry
  const instances = crdb.instances.map(i => {
    const { credentials: _c, certificate_auth: auth, ...cluster } = i.cluster
    const shown = auth === undefined ? cluster : { ...cluster, certificate_auth: { ...(auth as Json), client_key: undefined } }
    return sortKeys({ ...i, cluster: sortKeys(JSON.parse(JSON.stringify(shown)) as Json), db_uid: i.id === entry.localId && entry.bdbUid !== null ? String(entry.bdbUid) : '' })
  })
  const local = entry.bdbUid === null ? [] : [{ bdb_uid: String(entry.bdbUid), id: entry.localId }]
  return sortKeys({ ...crdb, instances, local_databases: local })
}

export const remotesOf = (crdb: Crdb, localId: number): CrdbInstance[] => crdb.instances.filter(i => i.id !== localId)

const HOST_PORT = /^[^:/@\s]+:\d{1,5}$/
const sourceUri = (crdb: Crdb, i: CrdbInstance): string =>
  `redis://${typeof i.cluster.replication_endpoint === 'string' && HOST_PORT.test(i.cluster.replication_endpoint)
    ? i.cluster.replication_endpoint
    : `${crdb.name}.${i.cluster.name}:443`}`

/** The crdt fields a member database carries for this configuration. */
export function memberCrdtFields (crdb: Crdb, localId: number, version: number): Json {
  return {
    crdt: true,
    crdt_causal_consistency: crdb.causal_consistency === true,
    crdt_config_version: version,
    crdt_featureset_version: crdb.featureset_version,
    crdt_guid: crdb.guid,
    crdt_protocol_version: crdb.protocol_version,
    crdt_replica_id: localId,
    crdt_replicas: JSON.stringify(crdb.instances.map(i => ({ id: i.id, cluster_name: i.cluster.name }))),
    crdt_sources: remotesOf(crdb, localId).map(i => ({ uid: i.id, uri: sourceUri(crdb, i), compression: i.compression }))
  }
}

/** The body of the member database this cluster creates (POST /v1/bdbs rules apply to it). */
export function memberBody (crdb: Crdb, localId: number, version: number): Json {
  const local = crdb.instances.find(i => i.id === localId)
  const { name: _name, ...config } = { ...crdb.default_db_config, ...local?.db_config }
  return { ...config, name: crdb.name, ...memberCrdtFields(crdb, localId, version), crdt_sync: 'enabled' }
}

/** GET /v1/crdbs/{guid}/health_report: this cluster's view (the mock asks no peer synchronously). */
export function healthReport (entry: CrdbEntry, localName: string, member: Bdb | undefined): Json[] {
  const { crdb } = entry
  const sources = (member?.crdt_sources ?? []) as Array<{ uid: number, status: string }>
  return [sortKeys({
    active_config_version: entry.version,
    cluster_name: localName,
    configurations: [sortKeys({
      causal_consistency: crdb.causal_consistency === true,
      encryption: crdb.encryption === true,
      featureset_version: crdb.featureset_version,
      instances: crdb.instances.map(i => ({ cluster: { name: i.cluster.name, url: i.cluster.url }, db_uid: i.id === entry.localId && entry.bdbUid !== null ? String(entry.bdbUid) : '', id: i.id })),
      name: crdb.name,
      protocol_version: crdb.protocol_version,
      status: member?.status === 'active' ? 'commit-completed' : 'committed',
      version: entry.version
    })],
    connections: remotesOf(crdb, entry.localId).map(i => ({
      name: i.cluster.name,
      replication_links: [{
        link_uid: `${entry.bdbUid ?? ''}:${i.id}`,
        status: sources.find(s => s.uid === i.id)?.status === 'in-sync' ? 'up' : 'down'
      }],
      status: 'ok'
    })),
    name: crdb.name
  })]
}
