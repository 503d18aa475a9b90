// The semantic rules a schema-valid database body must also pass (docs/rs-api-notes.md §2.3, docs/decisions.md #9, #16).
import type { Bdb, ModuleRef } from '../../schemas/bdb.js'
import {
  insufficientResources, invalidRolePermissions, invalidSharding, invalidVersion, licenseExpired,
  memcachedCannotUseModules, missingModule, nameInUse
} from '../../base/errors.js'
import { checkPort, firstNode, shardsInUse, type PortRange } from './bdb-layout.js'
import { footprint, memoryBalance } from '../topology/index.js'
import type { Json, State } from '../kernel/index.js'

/** docs/decisions.md #16: an expired license blocks creating databases and database actions (403). */
export function checkLicenseActive (state: State, now: number): void {
  const lic = state.license
  if (lic === null) return
  const end = Date.parse(String(lic.expiration_date))
  if (lic.expired === true || (Number.isFinite(end) && end <= now)) throw licenseExpired()
}

/** The node's full version for a major.minor (`8.0` → `8.0.0`); invalid_version if it has none. */
export function fullVersion (state: State, redisVersion: string): string {
  const versions = (firstNode(state)?.supported_database_versions ?? []) as Json[]
  const found = versions.find(v => v.db_type === 'redis' && v.redis_version === redisVersion)
  if (found === undefined) {
    const known = versions.filter(v => v.db_type === 'redis').map(v => v.redis_version).join(', ')
    throw invalidVersion(`Redis version '${redisVersion}' is not supported by this cluster (supported: ${known})`)
  }
  return String(found.version)
}

/** Fills module_id/semantic_version from the cluster's modules; a request may name a module by name or id. */
export function resolveModules (state: State, requested: Json[], redisVersion: string): ModuleRef[] {
  return requested.map(r => {
    const candidates = state.modules.filter(m =>
      (r.module_id !== undefined ? m.uid === r.module_id : String(m.module_name).toLowerCase() === String(r.module_name ?? '').toLowerCase()) &&
      (r.semantic_version === undefined || m.semantic_version === r.semantic_version))
    const mod = candidates.find(m => m.compatible_redis_version === redisVersion) ?? candidates[0]
    if (mod === undefined) {
      const label = String(r.module_name ?? r.module_id ?? '')
      throw missingModule(label === '' ? 'A module_list entry must name a module (module_name)' : `Module '${label}' is not installed on the cluster`)
    }
    return {
      module_args: String(r.module_args ?? ''),
      module_id: String(mod.uid),
      module_name: String(mod.module_name),
      semantic_version: String(mod.semantic_version)
    }
  })
}

/** Rules that hold for the object a create or an update would produce. `extraShards` is what it adds to the license count. */
export function checkBdb (state: State, bdb: Bdb, extraShards: number, portChanged: boolean, range?: PortRange): void {
  for (const other of state.bdbs.values()) {
    if (other.uid !== bdb.uid && other.name === bdb.name) throw nameInUse(bdb.name)
  }
  if (portChanged && bdb.port !== 0) checkPort(state, bdb.port, bdb.uid, range)
  if (bdb.shards_count > 1 && bdb.sharding !== true) {
    throw invalidSharding(`shards_count ${bdb.shards_count} needs sharding: true`)
  }
  if (bdb.type === 'memcached' && (bdb.module_list as unknown[]).length > 0) throw memcachedCannotUseModules()
  const seen = new Set<number>()
  for (const p of bdb.roles_permissions) {
    if (!state.roles.has(p.role_uid)) throw invalidRolePermissions(`roles_permissions: role ${p.role_uid} does not exist`)
    if (!state.redisAcls.has(p.redis_acl_uid)) throw invalidRolePermissions(`roles_permissions: Redis ACL ${p.redis_acl_uid} does not exist`)
    if (seen.has(p.role_uid)) throw invalidRolePermissions(`roles_permissions: role ${p.role_uid} is listed twice`)
    seen.add(p.role_uid)
  }
  checkMemory(state, bdb)
  const lic = state.license
  const limit = lic === null ? null : (lic.shards_limit ?? lic.ram_shards_limit) as number | null
  if (extraShards > 0 && limit !== null && shardsInUse(state) + extraShards > limit) {
    throw insufficientResources(`The license allows ${limit} shards; ${shardsInUse(state)} are in use and this needs ${extraShards} more`)
  }
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`

/**
 * docs/decisions.md #61: a database that grows (created, more memory, replication on) must fit the
 * nodes' memory with every other database; one that does not grow is never refused for it.
 */
function checkMemory (state: State, bdb: Bdb): void {
  const before = state.bdbs.get(bdb.uid)
  const growth = footprint(bdb) - (before === undefined ? 0 : footprint(before))
  if (growth <= 0) return
  const { needed, available } = memoryBalance(state)
  if (needed + growth > available) {
    throw insufficientResources(`Not enough memory in the cluster to host the database: the databases would take ${gib(needed + growth)} ` +
      `(memory_size, twice with replication), the nodes have ${gib(available)}`)
  }
}
