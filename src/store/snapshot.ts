// The whole State as one JSON document: export, validated import and the state file's content
// (the in-place restore a refused change rolls back with is kernel/restore.ts).
import type { ValidateFunction } from 'ajv'
import { newAjv, noUidsRetired, STATE_FORMAT, STATE_VERSION, type State, type StateDocument } from './kernel/index.js'
import {
  bdbSchema, bootstrapSchema, clusterSchema, licenseSchema, moduleSchema, nodeSchema, nullable,
  policySchema, redisAclSchema, roleSchema, userSchema, type SchemaObject
} from '../schemas/index.js'
import { directoryEntrySchema, laterPartSchemas } from './admin-state.js'
import { ldapMappingSchema } from '../schemas/ldap-mapping.js'
import { newOperationsState } from './databases/index.js'
import { invalidStateDocument } from '../base/errors.js'
import { firstUid } from './topology/index.js'

export { STATE_FORMAT, STATE_VERSION, type StateDocument }

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map)

/** JSON text of the document; Maps keep their key types through `$map` pairs. */
export function stateText (state: State, exportedAt: string): string {
  return JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, exported_at: exportedAt, state },
    (_key, v: unknown) => v instanceof Map ? { $map: [...v] } : v)
}

export const exportDocument = (state: State, exportedAt: string): StateDocument =>
  JSON.parse(stateText(state, exportedAt)) as StateDocument

// A state document is 9 levels deep; far deeper ones would exhaust the stack below.
const MAX_DEPTH = 64

function revive (v: unknown, path: string, depth = 0): unknown {
  if (depth > MAX_DEPTH && (Array.isArray(v) || isObj(v))) throw invalidStateDocument(`${path.slice(0, 80)}... nests more than ${MAX_DEPTH} levels deep`)
  if (Array.isArray(v)) return v.map((x, i) => revive(x, `${path}[${i}]`, depth + 1))
  if (!isObj(v)) return v
  const keys = Object.keys(v)
  if (keys.length === 1 && keys[0] === '$map') {
    const pairs = v.$map
    if (!Array.isArray(pairs) || !pairs.every(p => Array.isArray(p) && p.length === 2)) {
      throw invalidStateDocument(`${path}.$map must be a list of [key, value] pairs`)
    }
    const map = new Map<unknown, unknown>()
    for (const [k, x] of pairs as Array<[unknown, unknown]>) {
      if (map.has(k)) throw invalidStateDocument(`${path} has the key ${JSON.stringify(k)} twice`)
      map.set(k, revive(x, `${path}[${JSON.stringify(k)}]`, depth + 1))
    }
    return map
  }
  const out: Obj = {}
  for (const k of keys) out[k] = revive(v[k], `${path}.${k}`, depth + 1)
  return out
}

// Parts added to the state after version 1: a document written before them loads with them empty.

const kind = (v: unknown): string =>
  v instanceof Map ? 'map' : Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v

// The parts of the state that are resources in wire format, checked against their schemas.
const resourceSchemas: Record<string, SchemaObject> = {
  cluster: clusterSchema,
  policy: policySchema,
  license: nullable(licenseSchema),
  bootstrap: bootstrapSchema,
  modules: { type: 'array', items: moduleSchema },
  ...laterPartSchemas
}
const mapSchemas: Record<string, { schema: SchemaObject, uid?: (v: Obj) => unknown }> = {
  nodes: { schema: nodeSchema, uid: v => v.uid },
  bdbs: { schema: bdbSchema, uid: v => v.uid },
  users: {
    schema: { type: 'object', properties: { user: userSchema, salt: { type: 'string' }, hash: { type: 'string' }, sha256: { type: 'string' } }, required: ['user', 'salt', 'hash'] },
    uid: v => (v.user as Obj | undefined)?.uid
  },
  roles: { schema: roleSchema, uid: v => v.uid },
  redisAcls: { schema: redisAclSchema, uid: v => v.uid },
  ldapMappings: { schema: ldapMappingSchema, uid: v => v.uid },
  ldapDirectory: { schema: directoryEntrySchema }
}

// Parts added to the state after its first format: a document written before them loads with
// the start state's (empty) ones.
const LATER_PARTS: ReadonlySet<string> = new Set(['crdbs', 'crdbTasks', 'settings', 'serviceStates', 'certificates', 'ldapMappings', 'ldapDirectory', 'ocspState'])

/** Compiled validators, kept by a store so only its first import pays for compiling them. */
export class StateChecker {
  // Unoptimized code compiles ~3x faster; validation speed does not matter here.
  private readonly ajv = newAjv({ allErrors: false, code: { optimize: false } })
  private readonly compiled = new Map<SchemaObject, ValidateFunction>()

  validator (schema: SchemaObject): ValidateFunction {
    let v = this.compiled.get(schema)
    if (v === undefined) this.compiled.set(schema, v = this.ajv.compile(schema))
    return v
  }
}

function check (validate: ValidateFunction, value: unknown, path: string): void {
  if (validate(value)) return
  const e = validate.errors?.[0]
  const where = `${path}${(e?.instancePath ?? '').replace(/\//g, '.')}`
  const extra = e?.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''
  throw invalidStateDocument(`${where} ${e?.message ?? 'is invalid'}${extra}`)
}

/**
 * Reads a document into a State, or throws 400 invalid_state_document naming the first
 * problem. `reference` (a state built from the seed) gives the keys and kinds to expect, so
 * parts of the state added later are checked too, at least by kind.
 */
export function parseStateDocument (doc: unknown, reference: State, checker = new StateChecker()): State {
  if (!isObj(doc)) throw invalidStateDocument('it must be a JSON object')
  if (doc.format !== STATE_FORMAT) throw invalidStateDocument(`"format" must be "${STATE_FORMAT}"`)
  if (doc.version !== STATE_VERSION) throw invalidStateDocument(`"version" must be ${STATE_VERSION}`)
  if (!isObj(doc.state)) throw invalidStateDocument('"state" must be an object')
  const state = revive(doc.state, 'state') as Obj
  // Parts added after the first state format: a document of that format gets their defaults.
  state.lastUids ??= noUidsRetired()
  state.masterUid ??= state.nodes instanceof Map ? firstUid([...state.nodes.values()] as Obj[]) : 1
  state.clusterActions ??= []
  state.nodeOps ??= { actions: [], snapshots: [], maintenance: [] }
  if (!(state.nodes instanceof Map && state.nodes.has(state.masterUid))) throw invalidStateDocument('state.masterUid must be the uid of one of state.nodes')
  const last = state.lastUids
  const kinds = Object.keys(noUidsRetired())
  if (!isObj(last) || Object.keys(last).length !== kinds.length || !kinds.every(k => Number.isSafeInteger(last[k]) && (last[k] as number) >= 0)) {
    throw invalidStateDocument(`state.lastUids must hold a non-negative integer for each of ${kinds.join(', ')}`)
  }
  state.operations ??= newOperationsState()
  const ops = state.operations as Obj
  if (!isObj(ops) || !(ops.bdbs instanceof Map) || !Array.isArray(ops.artifacts)) {
    throw invalidStateDocument('state.operations must hold bdbs (a $map) and artifacts (an array)')
  }
  const ref = reference as unknown as Obj
  for (const k of Object.keys(state)) if (!(k in ref)) throw invalidStateDocument(`state.${k} is not part of the state`)
  for (const [k, want] of Object.entries(ref)) {
    if (!(k in state) && LATER_PARTS.has(k)) {
      state[k] = want
      continue
    }
    if (!(k in state)) throw invalidStateDocument(`state.${k} is missing`)
    const got = kind(state[k])
    // A nullable part (license) may hold an object or null on either side.
    const nullableObject = (want === null || isObj(want)) && (got === 'null' || got === 'object')
    if (got !== kind(want) && !nullableObject) throw invalidStateDocument(`state.${k} must be a ${kind(want)}, not a ${got}`)
    if (want instanceof Map) checkMap(k, state[k] as Map<unknown, unknown>, want)
  }
  if (!Number.isSafeInteger(state.clusterStateId) || (state.clusterStateId as number) < 1) {
    throw invalidStateDocument('state.clusterStateId must be a positive integer')
  }
  for (const [k, schema] of Object.entries(resourceSchemas)) check(checker.validator(schema), state[k], `state.${k}`)
  for (const [k, { schema, uid }] of Object.entries(mapSchemas)) {
    const validate = checker.validator(schema)
    for (const [key, v] of state[k] as Map<number, unknown>) {
      check(validate, v, `state.${k}[${key}]`)
      if (uid !== undefined && uid(v as Obj) !== key) throw invalidStateDocument(`state.${k}[${key}] has uid ${JSON.stringify(uid(v as Obj))}, not ${key}`)
    }
  }
  checkLogins(state.users as State['users'])
  return state as unknown as State
}

/** Logins are unique: an email, or the name of a user without one (docs/decisions.md #19). */
function checkLogins (users: State['users']): void {
  const seen = new Set<string>()
  for (const [uid, { user }] of users) {
    const login = user.email !== '' ? `email ${JSON.stringify(user.email)}` : `name ${JSON.stringify(user.name)}`
    if (seen.has(login)) throw invalidStateDocument(`state.users[${uid}] has the ${login} of another user`)
    seen.add(login)
  }
}

function checkMap (name: string, map: Map<unknown, unknown>, want: Map<unknown, unknown>): void {
  const sample = want.entries().next().value
  if (sample === undefined) return
  const [refKey, refValue] = sample
  for (const [k, v] of map) {
    if (typeof refKey === 'number' && !(Number.isSafeInteger(k) && (k as number) > 0)) {
      throw invalidStateDocument(`state.${name} key ${JSON.stringify(k)} must be a positive integer`)
    }
    if (typeof refKey !== 'number' && typeof k !== typeof refKey) throw invalidStateDocument(`state.${name} key ${JSON.stringify(k)} must be a ${typeof refKey}`)
    if (kind(v) !== kind(refValue)) throw invalidStateDocument(`state.${name}[${JSON.stringify(k)}] must be a ${kind(refValue)}`)
  }
}
