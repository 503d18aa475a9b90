// The cluster's settings objects (docs/rs-api-notes.md §5.14): one generic piece for all. Each is read with
// GET (its defaults until first written), updated with a partial PUT validated by its schema
// (schemas/settings.ts) and checked here, some cleared with DELETE; every change is logged.
import type { ApiError } from '../../base/errors.js'
import { logFieldChanges, type Core, type Json } from '../kernel/index.js'
import { SETTINGS, type SettingName } from './settings-defs.js'

export type { SettingName } from './settings-defs.js'

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

export class Settings {
  private readonly listeners: Array<[SettingName, () => void]> = []

  constructor (private readonly core: Core) {}

  /** Called after `name` changed (PUT or DELETE), before the change is committed. */
  onChanged (name: SettingName, listener: () => void): void { this.listeners.push([name, listener]) }

  private notify (name: SettingName): void {
    for (const [n, l] of this.listeners) if (n === name) l()
  }

  /** The object as GET answers it. */
  get (name: SettingName): Json {
    const def = SETTINGS[name]
    const value = this.stored(name)
    return def.present === undefined ? value : def.present(value, this.core.state)
  }

  /** The stored object, or its defaults when it was never written. */
  stored (name: SettingName): Json {
    return structuredClone(this.core.state.settings[name] ?? SETTINGS[name].defaults(this.core.state))
  }

  /** PUT: the body merged into the object (nested objects key by key where the object says so). */
  update (name: SettingName, body: Json): Json {
    const def = SETTINGS[name]
    const old = this.stored(name)
    const base = def.replace === true ? def.defaults(this.core.state) : old
    const next: Json = { ...base }
    for (const [k, v] of Object.entries(structuredClone(body))) {
      next[k] = def.deep === true && isObj(v) && isObj(base[k]) ? { ...base[k], ...v } : v
    }
    def.check?.(next, old, this.core.state)
    this.core.state.settings[name] = next
    def.changed?.(old, next, this.core)
    logFieldChanges(this.core, def.log, {}, old, next, [...new Set([...Object.keys(old), ...Object.keys(next)])])
    this.notify(name)
    this.core.changed()
    return this.get(name)
  }

  /** DELETE: back to the defaults. Clearing what was never set changes nothing (or is the object's 404). */
  clear (name: SettingName): void {
    const def = SETTINGS[name]
    const state = this.core.state
    if (state.settings[name] === undefined) {
      const missing: (() => ApiError) | undefined = def.missing
      if (missing !== undefined) throw missing()
      return
    }
    def.beforeClear?.(state)
    const old = this.stored(name)
    delete state.settings[name]
    def.changed?.(old, this.stored(name), this.core)
    this.core.log(`${def.log}_deleted`)
    this.notify(name)
    this.core.changed()
  }
}
