// Bodies of the shard failover and migrate actions (requests/shards/actions). The docs write
// shard uids as strings ("2"); integers are accepted too. A missing list or node is the store's
// documented 404, not a schema error.
import { arr, bool, int, obj, str, strArr, type SchemaObject } from './common.js'

const shardUids = arr({ anyOf: [str({ pattern: '^\\d+$' }), int(1)] })
const failoverCommon = { dead_nodes: strArr(), dry_run: bool(), force_rebind: bool(), redis_version_upgrade: str() }
const migrateCommon = { target_node_uid: int(1), override_rack_policy: bool(), dry_run: bool(), preserve_roles: bool() }

export const failoverManySchema: SchemaObject = obj({ shard_uids: shardUids, dead_uids: strArr(), ...failoverCommon })
export const failoverOneSchema: SchemaObject = obj({ dead_uid: str(), ...failoverCommon })
export const migrateManySchema: SchemaObject = obj({ shard_uids: shardUids, max_concurrent_bdb_migrations: int(1), ...migrateCommon })
export const migrateOneSchema: SchemaObject = obj(migrateCommon)
