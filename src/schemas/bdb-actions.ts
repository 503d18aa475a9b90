// Bodies of the database actions, passwords and module routes (docs/rs-api-notes.md §5.7; the docs'
// requests/bdbs/actions, passwords and modules pages). Unknown keys are refused (400 invalid_schema).
import { arr, bool, int, obj, str, strArr, strEnum, type SchemaObject } from './common.js'
import { backupLocationSchema, datasetImportSourceSchema } from './bdb-nested.js'

// The keys each location type needs (objects/bdb/backup_location): a body missing one is a 400 naming it.
const TYPE_NEEDS: Record<string, string[]> = {
  url: ['url'],
  sftp: ['sftp_url'],
  s3: ['bucket_name', 'access_key_id', 'secret_access_key'],
  gs: ['bucket_name', 'client_id', 'client_email', 'private_key_id', 'private_key'],
  abs: ['container', 'account_name'],
  mount_point: ['path']
}

const byType = (base: SchemaObject): SchemaObject => ({
  ...base,
  allOf: Object.entries(TYPE_NEEDS).map(([type, needs]) => ({
    if: { type: 'object', properties: { type: { const: type } } },
    then: { type: 'object', required: needs }
  }))
})

export const exportBodySchema: SchemaObject = obj({
  export_location: byType(backupLocationSchema),
  email_notification: bool()
}, ['export_location'])

// "Other attributes are not allowed and will cause the request to fail."
export const importBodySchema: SchemaObject = obj({
  dataset_import_sources: arr(byType(datasetImportSourceSchema), { minItems: 1 }),
  email_notification: bool()
})

export const passwordBodySchema: SchemaObject = obj({ password: str({ minLength: 1 }) }, ['password'])

export const upgradeBodySchema: SchemaObject = obj({
  force_restart: bool(),
  keep_redis_version: bool(),
  keep_crdt_protocol_version: bool(),
  may_discard_data: bool(),
  force_discard: bool(),
  preserve_roles: bool(),
  parallel_shards_upgrade: int(1),
  modules: arr(obj({ current_module: str(), new_module: str(), new_module_args: str(), module_name: str() })),
  redis_version: str({ pattern: '^\\d+\\.\\d+$' }),
  latest_with_modules: bool(),
  swap_roles: bool()
})

// module_args: "pattern does not allow special characters &,<,>,\"" (a semantic param_error, checked by the store)
export const moduleConfigBodySchema: SchemaObject = obj({
  modules: arr(obj({ module_name: str(), module_args: str() }), { minItems: 1 })
}, ['modules'])

export const moduleUpgradeBodySchema: SchemaObject = obj({
  modules: arr(obj({
    module_name: str(),
    current_module: str(),
    current_semantic_version: str(),
    new_module: str({ minLength: 1 }),
    new_module_args: str()
  }, ['new_module']), { minItems: 1 }),
  preserve_roles: bool(),
  may_discard_data: bool()
}, ['modules'])

export const recoverBodySchema: SchemaObject = obj({
  data_files: arr(obj({ filename: str(), node_uid: str(), shard_slots: str() }, ['filename', 'node_uid'])),
  ignore_errors: bool(),
  recover_without_data: bool()
})

export const revampBodySchema: SchemaObject = obj({
  avoid_nodes: strArr(),
  bigstore_ram_size: int(0),
  memory_size: int(0),
  replication: bool(),
  shards_count: int(1, 512),
  shards_placement: strEnum('dense', 'sparse')
})

/** POST /v1/bdbs/{uid}/command (docs/decisions.md #58): one Redis command and its arguments. */
export const bdbCommandSchema: SchemaObject = obj({
  command: str({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_.|-]*$' }),
  args: { type: 'array', maxItems: 1000, items: { anyOf: [str({ maxLength: 1_000_000 }), { type: 'number' }] } }
}, ['command'])
