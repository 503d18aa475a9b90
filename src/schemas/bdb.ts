// The BDB (database) object: GET shape, request-body schemas and the field access lists.
import { obj, str, arr, type SchemaObject } from './common.js'
import { bdbFields, bdbNameSchema, type BdbAccess } from './bdb-fields.js'
import { newBdbDefaults } from './bdb-defaults.js'

export { bdbFields, type BdbAccess, type BdbField } from './bdb-fields.js'
export { newBdbDefaults, DEFAULT_MODULES, type ModuleRef } from './bdb-defaults.js'
export * from './bdb-nested.js'

const fieldsWith = (...access: BdbAccess[]): readonly string[] =>
  Object.freeze(Object.keys(bdbFields).filter(k => access.includes(bdbFields[k].access)))

/** Settable on create and on update. `dataset_import_sources` is among them. */
export const bdbWritableFields: readonly string[] = fieldsWith('W')
/** Settable on create only (`uid`, `replica_read_only`, `version`); an update that sends one gets invalid_schema. */
export const bdbCreateOnlyFields: readonly string[] = fieldsWith('C')
/** Server-managed: rejected in request bodies. Includes the captured-but-undocumented keys. */
export const bdbReadOnlyFields: readonly string[] = fieldsWith('RO')
/** Accepted in a PUT body but never stored or returned (`shards_blueprint`). */
export const bdbUpdateOnlyFields: readonly string[] = fieldsWith('U')

/** The keys a GET returns for every database on RS 8.0, in the order it returns them. */
export const bdbGetKeys: readonly string[] = Object.freeze(Object.keys(newBdbDefaults()))

const propsFor = (keys: readonly string[]): Record<string, SchemaObject> =>
  Object.fromEntries(keys.map(k => [k, bdbFields[k].schema]))

/**
 * GET /v1/bdbs/{uid}. Every captured key is required; the other documented fields are
 * optional (emitted conditionally, e.g. action_uid while an action runs, search/timeseries/
 * probabilistic only with ?extended=true).
 */
export const bdbSchema: SchemaObject = obj(
  propsFor(Object.keys(bdbFields).filter(k => bdbFields[k].access !== 'U')),
  bdbGetKeys
)

const requestProps = (keys: readonly string[]): Record<string, SchemaObject> => ({ ...propsFor(keys), name: bdbNameSchema })

/** POST /v1/bdbs. No `required`: a missing name/memory_size is a semantic 406, not a schema 400. */
export const bdbCreateSchema: SchemaObject = obj(requestProps([...bdbWritableFields, ...bdbCreateOnlyFields]))

/** PUT /v1/bdbs/{uid}. */
export const bdbUpdateSchema: SchemaObject = obj(requestProps([...bdbWritableFields, ...bdbUpdateOnlyFields]))

/** POST /v2/bdbs: the v1 body wrapped in `bdb`, with an optional recovery plan. */
export const bdbV2CreateSchema: SchemaObject = obj({
  bdb: bdbCreateSchema,
  recovery_plan: obj({
    // every value is a string here, node and shard uids included
    original_bdb_shards: arr(obj({
      assigned_slots: str(),
      node_uid: str(),
      role: str(),
      uid: str()
    }, ['assigned_slots', 'node_uid', 'role', 'uid']))
  })
}, ['bdb'])

export interface Endpoint {
  addr: string[]
  addr_type: string
  dns_name: string
  oss_cluster_api_preferred_endpoint_type: string
  oss_cluster_api_preferred_ip_type: string
  port: number
  proxy_policy: string
  uid: string
}

export interface RolePermission {
  role_uid: number
  redis_acl_uid: number
}

/** A database as the store keeps it: the fields the store reasons about are typed, the rest pass through. */
export interface Bdb {
  uid: number
  name: string
  memory_size: number
  /** 0 when auto-assigned; the bound port is endpoints[0].port */
  port: number
  status: string
  replication: boolean
  sharding: boolean
  shards_count: number
  shard_list: number[]
  endpoints: Endpoint[]
  roles_permissions: RolePermission[]
  type: string
  proxy_policy: string
  redis_version: string
  version: string
  created_time: string
  last_changed_time: string
  action_uid?: string
  [key: string]: unknown
}
