// /v1/proxies (docs/rs-api-notes.md §5.14): one proxy per node, configuration only.
import { proxyNotFound } from '../../base/errors.js'
import { mustGet, type Core, type Json } from '../kernel/index.js'

export type Proxy = Json & { uid: number }

// The RS 8.0 defaults (proxies capture), for a fixture directory without proxies.json.
const defaults: Json = {
  backlog: 1024, client_eviction: false, client_keepcnt: 6, client_keepidle: 180, client_keepintvl: 30, conns: 500000,
  corefile: false, duration_usage_threshold: 30, dynamic_threads_scaling: true, ignore_bdb_cconn_limit: false,
  ignore_bdb_cconn_output_buff_limits: false, incoming_connections_capacity: 0, incoming_connections_min_capacity: 10,
  incoming_connections_rate_limit: 0, log_level: 'info', max_listeners: 1024, max_servers: 4096, max_threads: 8,
  max_worker_client_conns: 16384, max_worker_server_conns: 16384, max_worker_txns: 65536, maxmemory_clients: 4294967296,
  threads: 3, threads_usage_threshold: 80
}

export const defaultProxies = (nodes: Array<{ uid: number }>): Proxy[] => nodes.map(n => ({ ...defaults, uid: n.uid }))

export class Proxies {
  constructor (private readonly core: Core) {}

  list (): Proxy[] { return [...this.core.state.proxies.values()] }

  get (uid: number): Proxy { return mustGet(this.core.state.proxies, uid, proxyNotFound) }

  /**
   * PUT /v1/proxies/{uid}: the body is schema-checked, either the page's `{allow_restart, proxy}` or
   * the bare writable fields (docs/decisions.md #54); keys keep the captured order.
   */
  update (uid: number, body: Json): Proxy {
    const p = this.get(uid)
    Object.assign(p, body.proxy !== undefined ? body.proxy as Json : body)
    this.core.changed()
    return p
  }

  /** PUT /v1/proxies: the same changes on every proxy, as one change. */
  updateAll (changes: Json): void {
    for (const p of this.core.state.proxies.values()) Object.assign(p, changes)
    this.core.log('proxies_updated', { fields: Object.keys(changes).sort().join(',') })
    this.core.changed()
  }
}
