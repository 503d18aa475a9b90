// What a database's debug info archive holds in the mock: its configuration (secrets redacted),
// its shards, its state machines and its events, one directory per database.
import type { Store } from '../store/index.js'
import type { Bdb } from '../schemas/bdb.js'
import type { TarEntry } from './tar.js'

const SECRETS = new Set(['authentication_admin_pass', 'authentication_redis_pass', 'authentication_sasl_pass'])

const redacted = (bdb: Bdb): Record<string, unknown> =>
  Object.fromEntries(Object.entries(bdb).map(([k, v]) => [k, SECRETS.has(k) && v !== '' ? '<redacted>' : v]))

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n'

/** The archive entries for these databases, made one database at a time as the stream pulls. */
export function * bdbDebugEntries (store: Store, bdbs: Bdb[]): Generator<TarEntry> {
  const mtime = Math.floor(store.now() / 1000)
  const root = `debuginfo.${store.clusterStateId}`
  yield { name: `${root}/cluster.json`, mtime, data: json({ name: store.state.cluster.name, cluster_state_id: store.clusterStateId, bdbs: bdbs.map(b => b.uid) }) }
  for (const bdb of bdbs) {
    const dir = `${root}/bdb_${bdb.uid}`
    yield { name: `${dir}/bdb.json`, mtime, data: json(redacted(bdb)) }
    yield { name: `${dir}/shards.json`, mtime, data: json(store.shards.ofBdb(bdb)) }
    yield { name: `${dir}/actions.json`, mtime, data: json(store.actions.forBdb(bdb.uid)) }
    const events = store.state.events.filter(e => e.bdb_uid === String(bdb.uid))
    yield { name: `${dir}/events.log`, mtime, data: events.map(e => JSON.stringify(e)).join('\n') + (events.length > 0 ? '\n' : '') }
  }
}
