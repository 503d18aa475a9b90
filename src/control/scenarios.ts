// Scenarios: named starting points under fixtures/ (or a user's own fixture directory).
// A directory is a full set of fixture files, or a scenario.json that extends another
// scenario, overrides some files and may generate objects (the 1,000-database `large`
// scenario is generated from its spec at load time instead of committing megabytes of JSON).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadSeed } from '../fixtures.js'
import type { Seed } from '../store/index.js'
import { invalidScenario, scenarioNotFound, ConfigError } from '../base/errors.js'
import { fixturesRoot } from '../paths.js'
import { MAX_NODES, withNodes } from '../store/topology/index.js'

export const scenariosRoot = fixturesRoot

export interface Scenario {
  /** the built-in name, or the directory */
  readonly name: string
  readonly seed: Seed
  readonly freshNode: boolean
  readonly description?: string
  /** nodes in the cluster (scenario.json `nodes`; default: the fixture's) */
  readonly nodes?: number
}

interface Spec {
  description?: string
  extends?: string
  fresh_node?: boolean
  nodes?: number
  generate?: { bdbs?: { count: number, template?: number, first_port?: number } }
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/
// fixtures/default is a plain fixture directory (no scenario.json), read by other tools as is.
const DEFAULT_DESCRIPTION = 'The default cluster: one node, databases cache, sessions and catalog, a login per management role'
const isPath = (s: string): boolean => s.includes('/') || s.includes('\\') || s.startsWith('.')

/** Built-in scenario names with their descriptions. */
export function listScenarios (): Array<{ name: string, description: string }> {
  return readdirSync(scenariosRoot, { withFileTypes: true })
    .filter(d => d.isDirectory() && NAME.test(d.name))
    .map(d => ({ name: d.name, description: readSpec(join(scenariosRoot, d.name))?.description ?? DEFAULT_DESCRIPTION }))
}

function readSpec (dir: string): Spec | undefined {
  const path = join(dir, 'scenario.json')
  if (!existsSync(path)) return undefined
  let spec: unknown
  try {
    spec = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw invalidScenario(`${path} is not valid JSON: ${(e as Error).message}`)
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw invalidScenario(`${path} must hold a JSON object`)
  return spec as Spec
}

// Seed keys map to fixture files by convention: redisAcls → redis_acls.json.
const fileOf = (key: string): string => `${key.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)}.json`

function readOverrides (dir: string, base: Seed): Seed {
  const seed: Record<string, unknown> = { ...base }
  for (const key of Object.keys(base)) {
    const path = join(dir, fileOf(key))
    if (!existsSync(path)) continue
    try {
      seed[key] = JSON.parse(readFileSync(path, 'utf8'))
    } catch (e) {
      throw invalidScenario(`${path} is not valid JSON: ${(e as Error).message}`)
    }
  }
  return seed as unknown as Seed
}

function generateBdbs (seed: Seed, spec: NonNullable<NonNullable<Spec['generate']>['bdbs']>): Seed {
  const { count, template = 1, first_port: firstPort = 12000 } = spec
  if (!Number.isSafeInteger(count) || count < 0 || count > 100_000) throw invalidScenario('generate.bdbs.count must be a whole number from 0 to 100000')
  const model = seed.bdbs.find(b => b.uid === template)
  if (model === undefined) throw invalidScenario(`generate.bdbs.template ${template} is not a database of the base scenario`)
  const domain = String(seed.cluster.name ?? 'mock-cluster.local')
  const bdbs = Array.from({ length: count }, (_, i) => {
    const uid = i + 1
    const port = firstPort + i
    const bdb = structuredClone(model) as unknown as Record<string, unknown> & { endpoints?: Array<Record<string, unknown>> }
    Object.assign(bdb, { uid, name: `db-${String(uid).padStart(4, '0')}`, port, shard_list: [uid], shards_count: 1 })
    bdb.endpoints = (bdb.endpoints ?? []).map(e => ({ ...e, dns_name: `redis-${port}.${domain}`, port, uid: `${uid}:1` }))
    return bdb
  })
  return { ...seed, bdbs: bdbs as unknown as Seed['bdbs'] }
}

function loadDir (dir: string, name: string, depth: number): Scenario {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw scenarioNotFound(name)
  const spec = readSpec(dir)
  if (spec === undefined) return { name, seed: asScenarioError(() => loadSeed(dir)), freshNode: false }
  if (depth > 8) throw invalidScenario(`${dir}: "extends" goes more than 8 levels deep`)
  let seed: Seed
  let freshNode = false
  let nodes: number | undefined
  if (spec.nodes !== undefined && (!Number.isSafeInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > MAX_NODES)) throw invalidScenario(`nodes must be a whole number from 1 to ${MAX_NODES}`)
  if (spec.extends !== undefined) {
    const base = resolveScenario(spec.extends, dir, depth + 1)
    seed = readOverrides(dir, base.seed)
    freshNode = base.freshNode
    nodes = base.nodes
  } else {
    seed = asScenarioError(() => loadSeed(dir))
  }
  if (spec.generate?.bdbs !== undefined) seed = generateBdbs(seed, spec.generate.bdbs)
  nodes = spec.nodes ?? nodes
  if (nodes !== undefined) seed = withNodes(seed, nodes)
  return { name, seed, freshNode: spec.fresh_node ?? freshNode, description: spec.description, ...(nodes === undefined ? {} : { nodes }) }
}

function asScenarioError<T> (f: () => T): T {
  try {
    return f()
  } catch (e) {
    throw e instanceof ConfigError ? invalidScenario(e.message.replace(/\.$/, '')) : e
  }
}

function resolveScenario (ref: string, from: string, depth: number): Scenario {
  if (isPath(ref)) return loadDir(resolve(from, ref), ref, depth)
  if (!NAME.test(ref)) throw scenarioNotFound(ref)
  return loadDir(join(scenariosRoot, ref), ref, depth)
}

/** A built-in name (`default`, `fresh-node`, `empty-cluster`, `large`) or a directory path. */
export const loadScenario = (ref: string, cwd = process.cwd()): Scenario => resolveScenario(ref, cwd, 0)
