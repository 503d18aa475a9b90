// GET /v1/proxies[/{uid}] and the PUT /v1/proxies/{uid} body (docs/rs-api-notes.md §5.14).
import { bool, int, obj, strEnum, type SchemaObject } from './common.js'

const count = (): SchemaObject => int(0)

/** Every key of the captured RS 8.0 proxy, in its (sorted) order; all but uid are writable. */
const writableProps: Record<string, SchemaObject> = {
  backlog: count(),
  client_eviction: bool(),
  client_keepcnt: count(),
  client_keepidle: count(),
  client_keepintvl: count(),
  conns: count(),
  corefile: bool(),
  duration_usage_threshold: count(),
  dynamic_threads_scaling: bool(),
  ignore_bdb_cconn_limit: bool(),
  ignore_bdb_cconn_output_buff_limits: bool(),
  incoming_connections_capacity: count(),
  incoming_connections_min_capacity: count(),
  incoming_connections_rate_limit: count(),
  log_level: strEnum('crit', 'error', 'warn', 'info', 'trace', 'debug'),
  max_listeners: count(),
  max_servers: count(),
  max_threads: int(1, 256),
  max_worker_client_conns: count(),
  max_worker_server_conns: count(),
  max_worker_txns: count(),
  maxmemory_clients: count(),
  threads: int(1, 256),
  threads_usage_threshold: int(0, 100)
}

const props: Record<string, SchemaObject> = { ...writableProps, uid: int(1) }

export const proxyFields: readonly string[] = Object.freeze(Object.keys(props))

export const proxySchema: SchemaObject = obj(props, proxyFields)

/** Any subset of the writable fields; uid is read-only. */
const proxyChanges: SchemaObject = obj(writableProps)

/** PUT /v1/proxies: the changes for every proxy, and whether RS may restart them. */
export const proxyUpdateAllSchema: SchemaObject = obj({ allow_restart: bool(), proxy: { ...proxyChanges, minProperties: 1 } }, ['proxy'])

/** PUT /v1/proxies/{uid}: the page's body, as PUT /v1/proxies (`{"allow_restart", "proxy": {...}}`), or the bare fields. */
export const proxyUpdateSchema: SchemaObject = { anyOf: [proxyUpdateAllSchema, proxyChanges] }
