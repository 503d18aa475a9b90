// Small builders for draft-07 JSON Schemas. Every schema they produce compiles under
// ajv 8's default strict mode: each keyword sits next to the `type` it applies to, and
// "nullable" values use anyOf instead of a type array (which would need allowUnionTypes).
import type { SchemaObject } from 'ajv'

export type { SchemaObject }

type Extra = Record<string, unknown>

/**
 * Every string a client sends is bounded: a field the objects pages give a limit states it; the
 * rest get this one (a PEM chain or a license fits, a megabyte of rack_id does not; docs/decisions.md).
 */
export const MAX_STRING = 16_384
export const str = (extra: Extra = {}): SchemaObject => ({ type: 'string', maxLength: MAX_STRING, ...extra })
export const bool = (): SchemaObject => ({ type: 'boolean' })
export const num = (extra: Extra = {}): SchemaObject => ({ type: 'number', ...extra })

// JSON integers past 2^53 lose digits in JavaScript (1e300 is an "integer" to ajv): refuse what
// the mock could not keep exactly rather than store a rounded value.
export function int (min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): SchemaObject {
  return { type: 'integer', minimum: min, maximum: max }
}

export const strEnum = (...values: string[]): SchemaObject => ({ type: 'string', enum: values })

// The capture writes "never happened" statuses as "" although the docs only list real values.
export const strEnumOrEmpty = (...values: string[]): SchemaObject => strEnum('', ...values)

export const arr = (items?: SchemaObject, extra: Extra = {}): SchemaObject =>
  items === undefined ? { type: 'array', ...extra } : { type: 'array', items, ...extra }

export const strArr = (): SchemaObject => arr(str())
export const intArr = (): SchemaObject => arr(int())

export const nullable = (s: SchemaObject): SchemaObject => ({ anyOf: [s, { type: 'null' }] })

/**
 * An object schema. `required` lists keys that must be present; `closed` (default true)
 * rejects unknown keys, which is what RS does with request bodies (error invalid_schema).
 */
export function obj (properties: Record<string, SchemaObject>, required: readonly string[] = [], closed = true): SchemaObject {
  const s: SchemaObject = { type: 'object', properties }
  if (required.length > 0) s.required = [...required]
  if (closed) s.additionalProperties = false
  return s
}

/** Keeps only the named properties of a property table, in the table's order. */
export function pick (props: Record<string, SchemaObject>, keys: readonly string[]): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {}
  for (const k of Object.keys(props)) if (keys.includes(k)) out[k] = props[k]
  return out
}

/** ISO-8601 UTC timestamp without fractional seconds, e.g. 2026-01-05T09:00:00Z (no `format`: ajv-formats is not a dependency). */
export const isoTime = (): SchemaObject => str({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' })

export const PROXY_POLICIES = ['single', 'all-master-shards', 'all-nodes'] as const
export const MANAGEMENT_ROLES = ['admin', 'cluster_member', 'cluster_viewer', 'db_member', 'db_viewer', 'user_manager', 'none'] as const
