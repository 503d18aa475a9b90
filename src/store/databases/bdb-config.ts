// A database's default-user passwords, its Redis version and its modules' versions and
// arguments: /v1/bdbs/{uid}/passwords, /upgrade, /modules/config and /modules/upgrade.
import type { Bdb, ModuleRef } from '../../schemas/bdb.js'
import {
  dbNotExist, invalidModule, invalidVersion, missingField, missingModule, moduleConfigUnsupported,
  moduleDowngradeUnsupported, moduleNotExist, paramError, passwordExists, passwordNotFound, redisIncompatibleVersion
} from '../../base/errors.js'
import type { Core, Json, State } from '../kernel/index.js'
import type { Bdbs } from './bdbs.js'
import type { BdbOps } from './bdb-ops.js'
import { firstNode, setSorted } from './bdb-layout.js'
import { fullVersion, resolveModules } from './bdb-rules.js'

/** `8.0.2` > `7.99.91`: numeric part by part. */
export function compareVersions (a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

// "pattern does not allow special characters &,<,>,\"" (requests/bdbs/modules/config)
const BAD_ARGS = /[&<>"]/

export interface ModuleArgs { module_name?: string, module_args?: string }
export interface ModuleUpgrade { module_name?: string, current_module?: string, current_semantic_version?: string, new_module: string, new_module_args?: string }
export interface UpgradeBody { redis_version?: string, keep_redis_version?: boolean, modules?: Array<{ current_module?: string, new_module?: string, new_module_args?: string, module_name?: string }> }

/** A database's default-user passwords, oldest first (BdbConfig.passwords; the redis-server follows it). */
export function defaultPasswords (state: State, bdb: Bdb): string[] {
  const legacy = String(bdb.authentication_redis_pass ?? '')
  const entry = state.operations.bdbs.get(bdb.uid)
  const stored = entry?.bdb_created === bdb.created_time ? entry.passwords : undefined
  if (stored !== undefined && (stored[0] ?? '') === legacy) return stored
  return legacy === '' ? [] : [legacy]
}

export class BdbConfig {
  constructor (private readonly core: Core, private readonly bdbs: Bdbs, private readonly ops: BdbOps) {}

  /**
   * The default user's passwords, oldest first. authentication_redis_pass (the deprecated single
   * password) shows the first; a PUT /v1/bdbs/{uid} that changed it replaced them all (docs/decisions.md #40).
   */
  passwords (bdb: Bdb): string[] { return defaultPasswords(this.core.state, bdb) }

  /** PUT (replace all with one), POST (add) and DELETE (remove) on /v1/bdbs/{uid}/passwords. */
  changePassword (uid: number, how: 'set' | 'add' | 'remove', password: string): void {
    const bdb = this.bdbs.get(uid)
    const current = this.passwords(bdb)
    if (how === 'add' && current.includes(password)) throw passwordExists()
    if (how === 'remove' && !current.includes(password)) throw passwordNotFound()
    const next = how === 'set' ? [password] : how === 'add' ? [...current, password] : current.filter(p => p !== password)
    this.ops.entry(bdb).passwords = next
    bdb.authentication_redis_pass = next[0] ?? ''
    bdb.last_changed_time = this.core.nowIso()
    this.core.log('bdb_passwords_changed', { bdb_uid: String(uid) })
    this.core.changed()
  }

  /** POST /v1/bdbs/{uid}/upgrade: a newer Redis (the latest unless named) with its modules' matching versions. */
  upgrade (uid: number, body: UpgradeBody): Bdb {
    const bdb = this.bdbs.get(uid)
    const target = body.redis_version ?? (body.keep_redis_version === true ? bdb.redis_version : this.latestRedis())
    if (compareVersions(target, bdb.redis_version) < 0) {
      throw invalidVersion(`Database ${uid} runs Redis ${bdb.redis_version}; it cannot be downgraded to ${target}`)
    }
    const version = fullVersion(this.core.state, target)
    const named = new Map((body.modules ?? []).filter(m => m.new_module !== undefined).map(m => [m.current_module ?? '', m]))
    const modules = (bdb.module_list as ModuleRef[]).map(ref => {
      const asked = named.get(ref.module_id)
      const wanted = asked !== undefined ? { module_id: asked.new_module } : { module_name: ref.module_name }
      const [next] = resolveModules(this.core.state, [wanted], target)
      return { ...next, module_args: asked?.new_module_args ?? ref.module_args }
    })
    return this.bdbs.change(uid, 'SMUpgradeBDB', b => {
      b.redis_version = target
      b.version = version
      b.module_list = modules
    })
  }

  /** POST /v1/bdbs/{uid}/modules/config: new runtime arguments for loaded modules that have a config command. */
  configureModules (uid: number, modules: ModuleArgs[]): void {
    const bdb = this.core.state.bdbs.get(uid)
    if (bdb === undefined) throw dbNotExist(uid)
    const refs = bdb.module_list as ModuleRef[]
    const changes = modules.map(m => {
      if (m.module_name === undefined) throw missingField('module_name')
      if (m.module_args === undefined) throw missingField('module_args')
      if (BAD_ARGS.test(m.module_args)) throw paramError(`module_args must not contain &, <, > or ": ${m.module_args}`)
      const ref = refs.find(r => r.module_name.toLowerCase() === m.module_name!.toLowerCase())
      if (ref === undefined) throw moduleNotExist(`Module '${m.module_name}' is not loaded in database ${uid}`)
      const mod = this.module(ref.module_id)
      if (String(mod?.config_command ?? '') === '') throw moduleConfigUnsupported(`Module '${ref.module_name}' has no runtime configuration command`)
      return { ref, args: m.module_args }
    })
    for (const { ref, args } of changes) ref.module_args = args
    bdb.last_changed_time = this.core.nowIso()
    this.core.log('bdb_modules_configured', { bdb_uid: String(uid) })
    this.core.changed()
  }

  /** POST /v1/bdbs/{uid}/modules/upgrade: loaded modules to the named newer versions. */
  upgradeModules (uid: number, upgrades: ModuleUpgrade[]): Bdb {
    const bdb = this.bdbs.get(uid)
    const refs = bdb.module_list as ModuleRef[]
    const next = refs.map(r => ({ ...r }))
    for (const u of upgrades) {
      const mod = this.module(u.new_module)
      if (mod === undefined) throw missingModule(`Module '${u.new_module}' is not installed on the cluster`)
      const name = u.module_name ?? String(mod.module_name)
      const i = refs.findIndex(r => u.current_module !== undefined ? r.module_id === u.current_module : r.module_name.toLowerCase() === name.toLowerCase())
      if (i === -1) throw moduleNotExist(`Module '${u.current_module ?? name}' is not loaded in database ${uid}`)
      if (String(mod.module_name).toLowerCase() !== refs[i].module_name.toLowerCase()) {
        throw invalidModule(`Module ${u.new_module} is '${String(mod.module_name)}', not '${refs[i].module_name}'`)
      }
      if (compareVersions(String(mod.semantic_version), refs[i].semantic_version) < 0) {
        throw moduleDowngradeUnsupported(`'${refs[i].module_name}' ${refs[i].semantic_version} cannot go down to ${String(mod.semantic_version)}`)
      }
      const compatible = String(mod.compatible_redis_version ?? '')
      if (compatible !== '' && compatible !== bdb.redis_version) {
        throw redisIncompatibleVersion(`'${String(mod.module_name)}' ${String(mod.semantic_version)} needs Redis ${compatible}; database ${uid} runs ${bdb.redis_version}`)
      }
      next[i] = {
        module_args: u.new_module_args ?? refs[i].module_args,
        module_id: String(mod.uid),
        module_name: refs[i].module_name,
        semantic_version: String(mod.semantic_version)
      }
    }
    return this.bdbs.change(uid, 'SMUpgradeBDB', b => { setSorted(b, 'module_list', next) })
  }

  private module (uid: string): Json | undefined { return this.core.state.modules.find(m => m.uid === uid) }

  /** The newest Redis the node supports. */
  private latestRedis (): string {
    const versions = ((firstNode(this.core.state)?.supported_database_versions ?? []) as Json[])
      .filter(v => v.db_type === 'redis').map(v => String(v.redis_version))
    return versions.sort(compareVersions).at(-1) ?? '8.0'
  }
}
