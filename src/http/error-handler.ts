// The one place errors become responses: ApiErrors, ajv validation errors, fastify's own
// errors (bad JSON, body too large, media type) and unknown routes all leave as the real
// API's body {"error_code", "description"} with content-type application/json (docs/decisions.md #2).
import type { FastifyError } from 'fastify'
import findMyWay from 'find-my-way'
import type { Log } from '../base/log.js'
import {
  ApiError, internalError, invalidHeader, invalidJson, invalidSchema, isApiError,
  methodNotAllowed, requestTooLarge, routeNotFound
} from '../base/errors.js'
import { routeOf, shared } from './plugin.js'
import { askedMethod } from './transport.js'

interface ValidationIssue { instancePath?: string, keyword?: string, message?: string, params?: Record<string, unknown> }

/** Names the offending field the way a client reads it: `shards_count`, `endpoints.0.port`. */
export function describeValidation (issue: ValidationIssue, where = 'body'): string {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  let field = issue.keyword === 'additionalProperties'
    ? [path, String(issue.params?.additionalProperty)].filter(Boolean).join('.')
    : issue.keyword === 'required' ? [path, String(issue.params?.missingProperty)].filter(Boolean).join('.') : path
  // A hostile key can be megabytes long: the answer names its start.
  if (field.length > 100) field = `${field.slice(0, 100)}...`
  if (issue.keyword === 'additionalProperties') return `Unknown field '${field}' in the request ${where}`
  return field === '' ? `Invalid request ${where}: ${issue.message}` : `Invalid value for field '${field}': ${issue.message}`
}

export function toApiError (error: FastifyError | ApiError | Error, bodyLimit: number): ApiError {
  if (isApiError(error)) return error
  const e = error as FastifyError & { validation?: ValidationIssue[], validationContext?: string }
  if (Array.isArray(e.validation) && e.validation.length > 0) {
    return invalidSchema(describeValidation(e.validation[0], e.validationContext))
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidJson(`The request body is not valid JSON${e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? ' (it is empty)' : ''}`)
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return requestTooLarge(bodyLimit)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidHeader(e.message)
  }
  if (e instanceof SyntaxError) return invalidJson('The request body is not valid JSON')
  const status = e.statusCode ?? 500
  if (status >= 400 && status < 500) return new ApiError(status, 'bad_request', e.message)
  return internalError()
}

export const errorHandler = shared<{ bodyLimit: number, log: Log }>('error-handler', async function errorHandler (app, { bodyLimit, log }) {
  // A path-only router of every registered route tells 405 (known path) from 404. Built on the
  // first unknown request, not at start: inserting ~100 paths takes ~5 ms.
  const urls = new Set<string>()
  app.addHook('onRoute', route => { urls.add(route.url) })
  let paths: ReturnType<typeof findMyWay> | undefined
  const knownPath = (path: string): boolean => {
    if (paths === undefined) {
      paths = findMyWay()
      for (const url of urls) paths.on('GET', url, () => {})
    }
    return paths.find('GET', path) !== null
  }

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error as Error, routeOf(request).bodyLimit ?? bodyLimit)
    // Only the server's own failures are errors; a 503 or 505 answers the client's timing or headers.
    if (apiError.statusCode === 500) log.error({ err: error, reqId: request.id }, 'request failed')
    void reply.code(apiError.statusCode).headers(apiError.headers ?? {}).type('application/json').send(apiError.toJSON())
  })

  app.setNotFoundHandler((request) => {
    const path = request.url.split('?')[0]!
    throw knownPath(path) ? methodNotAllowed(askedMethod(request), path) : routeNotFound(askedMethod(request), path)
  })
})
