// Custom (user-defined) modules (requests/modules/user-defined): the module object in the
// cluster's configuration (POST/DELETE /v2/modules/user-defined, shown by GET /v1/modules) and
// the artifacts uploaded to this node (/v2/local/modules/user-defined/artifacts).
import { createHash } from 'node:crypto'
import { bundledModule, invalidModule, moduleExists, moduleInUse, moduleNotFound } from '../../base/errors.js'
import type { Core, Json } from '../kernel/index.js'

/** A file of an uploaded archive. */
/** An archive entry: read() inflates it (bounded), only when asked. */
export interface ArchiveFile { name: string, read: () => Buffer }

// POST /v2/modules/user-defined "must contain" these (406 when one is missing).
const REQUIRED = ['module_name', 'version', 'semantic_version', 'display_name', 'commands', 'command_line_args', 'capabilities', 'min_redis_version']
// module.json in an artifact (requests/modules/user-defined, "Upload custom module artifact").
const ARTIFACT_REQUIRED = ['module_name', 'version', 'semantic_version', 'min_redis_version', 'commands', 'capabilities']

/** Bundled modules have md5("<name>-<version>") uids (fixtures/default/modules.json); custom ones too. */
export const moduleUid = (name: string, semver: string): string => createHash('md5').update(`${name}-${semver}`).digest('hex')

export class CustomModules {
  constructor (private readonly core: Core) {}

  /** POST /v2/modules/user-defined: the new module object, in the bundled ones' key order. */
  create (body: Json): Json {
    const missing = REQUIRED.find(k => body[k] === undefined)
    if (missing !== undefined) throw invalidModule(`The module object needs '${missing}'`)
    const name = String(body.module_name)
    const semver = String(body.semantic_version)
    const uid = moduleUid(name, semver)
    if (this.core.state.modules.some(m => m.uid === uid || (m.module_name === name && m.semantic_version === semver))) {
      throw moduleExists(`Module '${name}' ${semver} already exists`)
    }
    const mod: Json = {
      author: body.author ?? '',
      bigstore_version_2_support: body.bigstore_version_2_support ?? false,
      capabilities: body.capabilities,
      capability_name: body.capability_name ?? '',
      command_line_args: body.command_line_args,
      compatible_redis_version: body.compatible_redis_version ?? '',
      config_command: body.config_command ?? '',
      crdb: body.crdb ?? {},
      dependencies: body.dependencies ?? {},
      description: body.description ?? '',
      display_name: body.display_name,
      email: body.email ?? '',
      homepage: body.homepage ?? '',
      is_bundled: false,
      license: body.license ?? '',
      min_redis_version: body.min_redis_version,
      module_name: name,
      semantic_version: semver,
      uid,
      version: body.version
    }
    this.core.state.modules.push(mod)
    this.core.log('module_created', { module_uid: uid, module_name: name })
    this.core.changed()
    return mod
  }

  /** DELETE /v2/modules/user-defined/{uid}: bundled modules and modules in use stay (406, docs/decisions.md #45). */
  delete (uid: string): void {
    const modules = this.core.state.modules
    const i = modules.findIndex(m => m.uid === uid)
    if (i === -1) throw moduleNotFound(uid)
    if (modules[i].is_bundled === true) throw bundledModule(`Module ${uid} is bundled with the cluster and cannot be deleted`)
    const users = [...this.core.state.bdbs.values()].filter(b => (b.module_list as Json[]).some(r => r.module_id === uid)).map(b => b.uid)
    if (users.length > 0) throw moduleInUse(`Module ${uid} is loaded by database(s) ${users.join(', ')}`)
    modules.splice(i, 1)
    this.core.log('module_deleted', { module_uid: uid })
    this.core.changed()
  }

  artifacts (): Json[] { return this.core.state.operations.artifacts }

  /** POST /v2/local/modules/user-defined/artifacts: a .zip with module.json and the module's .so. */
  upload (files: ArchiveFile[]): Json {
    const meta = files.find(f => f.name.split('/').pop() === 'module.json')
    if (meta === undefined) throw invalidModule('The artifact has no module.json')
    if (!files.some(f => f.name.endsWith('.so'))) throw invalidModule('The artifact has no module binary (.so)')
    const text = meta.read().toString('utf8')
    let json: Json
    try {
      json = JSON.parse(text) as Json
    } catch {
      throw invalidModule('module.json is not valid JSON')
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalidModule('module.json must hold an object')
    const missing = ARTIFACT_REQUIRED.find(k => json[k] === undefined)
    if (missing !== undefined) throw invalidModule(`module.json needs '${missing}'`)
    if (typeof json.module_name !== 'string' || json.module_name === '') throw invalidModule('module.json: module_name must be a non-empty string')
    if (!Number.isSafeInteger(json.version)) throw invalidModule('module.json: version must be an integer')
    const list = this.core.state.operations.artifacts
    if (list.some(a => a.module_name === json.module_name && a.version === json.version)) {
      throw moduleExists(`The artifact of '${json.module_name}' version ${String(json.version)} is already on this node`)
    }
    const deps = json.dependencies
    const artifact = {
      module_name: json.module_name,
      version: json.version,
      dependencies: Array.isArray(deps) ? deps.map(String) : deps !== null && typeof deps === 'object' ? Object.keys(deps) : []
    }
    list.push(artifact)
    this.core.changed()
    return artifact
  }

  /** DELETE /v2/local/modules/user-defined/artifacts/{module_name}/{version}. */
  deleteArtifact (name: string, version: number): void {
    const list = this.core.state.operations.artifacts
    const i = list.findIndex(a => a.module_name === name && a.version === version)
    if (i === -1) throw moduleNotFound(`${name}/${version}`)
    list.splice(i, 1)
    this.core.changed()
  }
}
