// Which redis-server backs the databases (--redis auto|off|<path>): found and checked once at start.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { ConfigError } from '../base/errors.js'

/** Most databases with a server unless told (--redis-max). */
export const DEFAULT_REDIS_MAX = 50

export interface RedisBinary { path: string, version: string }

/** `redis-server --version` → "7.0.15", or undefined when PATH is not a working redis-server. */
function versionOf (path: string): string | undefined {
  try {
    const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 5000 })
    return /^Redis server v=(\S+)/.exec(r.stdout ?? '')?.[1]
  } catch {
    return undefined
  }
}

function onPath (env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {}
  }
  return undefined
}

export type Resolved = { binary: RedisBinary } | { binary: undefined, why?: string }

/**
 * `off`: no servers. `auto`: the redis-server on PATH, else none and a reason to log.
 * A path: that server, or a ConfigError (exit 2) when it is not a working redis-server.
 */
export function resolveRedis (setting: string | undefined, env: NodeJS.ProcessEnv = process.env, shell = '/bin/sh'): Resolved {
  const value = (setting ?? 'off').trim()
  if (value === '' || value === 'off') return { binary: undefined }
  // Each server's watchdog is a shell (server-process.ts): an image without one cannot run them.
  if (!existsSync(shell)) {
    if (value === 'auto') return { binary: undefined, why: `no ${shell} for the redis-server watchdog: databases are not backed by Redis servers (--redis auto)` }
    throw new ConfigError(`--redis needs ${shell} to supervise the servers, and this system has none.`)
  }
  if (value === 'auto') {
    const found = onPath(env)
    const version = found === undefined ? undefined : versionOf(found)
    if (found === undefined || version === undefined) {
      return { binary: undefined, why: 'no working redis-server on PATH: databases are not backed by Redis servers (--redis auto)' }
    }
    return { binary: { path: found, version } }
  }
  const version = versionOf(value)
  if (version === undefined) throw new ConfigError(`--redis ${JSON.stringify(value)} is not a working redis-server: give auto, off or the path of a redis-server.`)
  return { binary: { path: value, version } }
}
