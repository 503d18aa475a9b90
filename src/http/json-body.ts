// The one JSON body parser of the RS routes and the /_mock/ API. Beyond fastify's own parser
// (prototype-poisoning keys refused), it refuses bytes that are not UTF-8 (Node would quietly
// turn them into U+FFFD and store them) and nesting deeper than MAX_JSON_DEPTH: JSON.parse
// copes with any depth, but a deep value kept in the state breaks every later JSON.stringify
// and structuredClone of it (state export, the state file, the journal) with a stack overflow.
import { isUtf8 } from 'node:buffer'
import type { FastifyRequest } from 'fastify'
import { invalidJson } from '../base/errors.js'
import { routeOf, shared } from './plugin.js'

// A state document is 9 levels deep; no RS request body comes near this.
export const MAX_JSON_DEPTH = 64

/** The deepest nesting of arrays and objects in JSON text (strings skipped); stops counting past `limit`. */
export function jsonDepth (text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) {
      inString = true
    } else if (c === 123 || c === 91) {
      if (++depth > max && (max = depth) > limit) return max
    } else if (c === 125 || c === 93) {
      depth--
    }
  }
  return max
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route's body schema is optional: an empty body is no body */
    optionalBody?: boolean
  }
}

/** A route without a body schema, or with an optional one, reads an empty JSON body as none
 *  (clients send `Content-Type: application/json` on every request, DELETE included). */
const emptyIsNone = (req: FastifyRequest): boolean => {
  const { schema, config } = routeOf(req)
  return schema?.body === undefined || config.optionalBody === true
}

/** Replaces the application/json parser; `allowEmpty(req)`: an empty body is `undefined` instead of invalid_json on more routes. */
export const jsonBody = shared<{ allowEmpty?: (req: FastifyRequest) => boolean }>('json-body', async function jsonBody (app, { allowEmpty = () => false }) {
  const secureParse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req: FastifyRequest, raw: Buffer, done) => {
    if (raw.length === 0 && (allowEmpty(req) || emptyIsNone(req))) return done(null, undefined)
    if (!isUtf8(raw)) return done(invalidJson('The request body is not valid UTF-8'), undefined)
    const text = raw.toString('utf8')
    // No text shorter than the limit can nest deeper than it: most bodies skip the scan.
    if (text.length > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) {
      return done(invalidJson(`The request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`), undefined)
    }
    secureParse(req, text, (err, body) => {
      if (err === null) return done(null, body)
      // Valid JSON the secure parse refused: it holds a __proto__ or constructor.prototype key.
      if (text.length > 0 && isJson(text)) return done(invalidJson('The request body has a forbidden key: __proto__ or constructor.prototype'), undefined)
      done(err, undefined)
    })
  })
})

function isJson (text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
