// Reads a fixture directory (the real wire format, one file per resource) into a Seed.
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Seed } from './store/index.js'
import { ConfigError } from './config.js'

const files = {
  cluster: 'cluster.json',
  policy: 'policy.json',
  license: 'license.json',
  bootstrap: 'bootstrap.json',
  nodes: 'nodes.json',
  bdbs: 'bdbs.json',
  users: 'users.json',
  roles: 'roles.json',
  redisAcls: 'redis_acls.json',
  modules: 'modules.json',
  proxies: 'proxies.json'
} as const satisfies Record<keyof Seed, string>

// Added after the first fixture directories were written: those stay loadable without them.
const optional: ReadonlySet<string> = new Set(['proxies'])

export function loadSeed (dir: string): Seed {
  const seed: Record<string, unknown> = {}
  for (const [key, file] of Object.entries(files)) {
    const path = join(dir, file)
    if (!existsSync(path) && optional.has(key)) continue
    if (!existsSync(path)) throw new ConfigError(`The fixture file ${path} is missing.`)
    try {
      seed[key] = JSON.parse(readFileSync(path, 'utf8'))
    } catch (e) {
      throw new ConfigError(`The fixture file ${path} is not valid JSON: ${(e as Error).message}.`)
    }
  }
  return seed as unknown as Seed
}
