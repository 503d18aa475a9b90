// Reads a fixture directory (the real wire format, one file per resource) into a Seed.
import { readFileSync, existsSync } from 'node:fs'
import { isAscii } from 'node:buffer'
import { join } from 'node:path'
import type { Seed, SeedSource } from './store/index.js'
import { ConfigError } from './base/errors.js'

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

type Texts = Array<[key: string, path: string, text: string]>

/** The file's text. Fixtures are nearly always ASCII, which reads as Latin-1 without UTF-8's
 *  decoding: ~60 ms less of a 10,000-database start (50 MB of bdbs.json). */
const text = (bytes: Buffer): string => isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')

function readTexts (dir: string): Texts {
  const out: Texts = []
  for (const [key, file] of Object.entries(files)) {
    const path = join(dir, file)
    if (!existsSync(path) && optional.has(key)) continue
    if (!existsSync(path)) throw new ConfigError(`The fixture file ${path} is missing.`)
    out.push([key, path, text(readFileSync(path))])
  }
  return out
}

function parse (texts: Texts): Seed {
  const seed: Record<string, unknown> = {}
  for (const [key, path, text] of texts) {
    try {
      seed[key] = JSON.parse(text)
    } catch (e) {
      throw new ConfigError(`The fixture file ${path} is not valid JSON: ${(e as Error).message}.`)
    }
  }
  return seed as unknown as Seed
}

export function loadSeed (dir: string): Seed {
  return parse(readTexts(dir))
}

/**
 * A fixture directory read once: the first parse becomes the store's state as it is (no
 * clone at start-up, which cost ~250 ms with 10,000 databases); reset parses the text again.
 */
export function loadSeedSource (dir: string): SeedSource {
  const texts = readTexts(dir)
  return { first: parse(texts), fresh: () => parse(texts) }
}
