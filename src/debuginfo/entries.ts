// What a debug info archive holds in the mock: the cluster's configuration and, one directory
// each, the nodes' and the databases' configurations (secrets redacted), shards and events.
import type { Store } from '../store/index.js'
import type { Bdb } from '../schemas/bdb.js'
import type { TarEntry } from './tar.js'

const SECRETS = new Set(['authentication_admin_pass', 'authentication_redis_pass', 'authentication_sasl_pass', 'smtp_password'])

const redacted = (obj: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, SECRETS.has(k) && v !== '' ? '<redacted>' : v]))

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n'
const log = (events: unknown[]): string => events.map(e => JSON.stringify(e)).join('\n') + (events.length > 0 ? '\n' : '')

/** What an archive covers: these nodes (uids, known to exist) and these databases. */
export interface DebugScope { nodes: number[], bdbs: Bdb[] }

/** The archive entries of a scope, made one node or database at a time as the stream pulls. */
export function * debugEntries (store: Store, { nodes, bdbs }: DebugScope): Generator<TarEntry> {
  const mtime = Math.floor(store.now() / 1000)
  const root = `debuginfo.${store.clusterStateId}`
  const cluster = { ...redacted(store.cluster.get()), cluster_state_id: store.clusterStateId, nodes, bdbs: bdbs.map(b => b.uid) }
  yield { name: `${root}/cluster.json`, mtime, data: json(cluster) }
  const shards = store.shards.list()
  for (const uid of nodes) {
    const dir = `${root}/node_${uid}`
    yield { name: `${dir}/node.json`, mtime, data: json(redacted(store.cluster.node(uid))) }
    yield { name: `${dir}/shards.json`, mtime, data: json(shards.filter(s => s.node_uid === String(uid))) }
    yield { name: `${dir}/events.log`, mtime, data: log(store.state.events.filter(e => e.node_uid === String(uid))) }
  }
  for (const bdb of bdbs) {
    const dir = `${root}/bdb_${bdb.uid}`
    yield { name: `${dir}/bdb.json`, mtime, data: json(redacted(bdb)) }
    yield { name: `${dir}/shards.json`, mtime, data: json(store.shards.ofBdb(bdb)) }
    yield { name: `${dir}/actions.json`, mtime, data: json(store.actions.forBdb(bdb.uid)) }
    yield { name: `${dir}/events.log`, mtime, data: log(store.state.events.filter(e => e.bdb_uid === String(bdb.uid))) }
  }
}
