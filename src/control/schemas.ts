// Request schemas of the /_mock/ API (validated like RS bodies: 400 invalid_schema naming the field).
import type { SchemaObject } from 'ajv'
import type { JournalFilter } from './journal.js'

export const faultActionSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'integer', minimum: 400, maximum: 599 },
    error_code: { type: 'string', minLength: 1, maxLength: 100 },
    description: { type: 'string', maxLength: 4096 },
    latency_ms: { type: 'integer', minimum: 0, maximum: 600_000 },
    drop: { type: 'boolean' },
    hang: { type: 'boolean' }
  }
}

export const faultRuleSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    method: { type: 'string', maxLength: 16, pattern: '^([A-Za-z]+|\\*)$' },
    path: { type: 'string', minLength: 1, maxLength: 1024 },
    path_regex: { type: 'string', minLength: 1, maxLength: 1024 },
    user: { type: 'string', maxLength: 255 },
    action: faultActionSchema,
    times: { type: 'integer', minimum: 1 },
    probability: { type: 'number', minimum: 0, maximum: 1 },
    seed: { type: 'integer' }
  }
}

export const scenarioSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 255 } }
}

export const timingSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['transition_delay_ms'],
  properties: { transition_delay_ms: { type: 'integer', minimum: 0, maximum: 86_400_000 } }
}

export interface JournalQuery { method?: string, path?: string, status?: string, since?: string, limit?: string }

// Query values arrive as strings (no coercion, docs/decisions.md #9): the patterns do the checking.
export const journalQuerySchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    method: { type: 'string', pattern: '^[A-Za-z]+$' },
    path: { type: 'string', minLength: 1 },
    status: { type: 'string', pattern: '^([1-5]\\d\\d|[1-5]xx|null)$' },
    since: { type: 'string', pattern: '^(\\d+|\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(Z|[+-]\\d\\d:\\d\\d))$' },
    limit: { type: 'string', pattern: '^\\d{1,9}$' }
  }
}

export function toFilter (q: JournalQuery): JournalFilter {
  return { ...q, limit: q.limit === undefined ? undefined : Number(q.limit) }
}

/** POST /_mock/nodes/join: what a joining process sends the master's (docs/decisions.md #51). */
export const joinNodeSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'token'],
  properties: {
    url: { type: 'string', minLength: 9, maxLength: 300 },
    token: { type: 'string', minLength: 16, maxLength: 128 },
    addr: { type: 'string', minLength: 1, maxLength: 255 },
    external_addr: { type: 'array', maxItems: 16, items: { type: 'string', maxLength: 255 } },
    dry_run: { type: 'boolean' }
  }
}
