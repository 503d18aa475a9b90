// Every error the mock answers with is an ApiError rendered by one handler
// (plugins/errors.ts) as the real API's body: {"error_code", "description"}.
// Status codes for undocumented cases follow DECISIONS.md (see the README's differences list).

export class ApiError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly headers?: Record<string, string>

  constructor (statusCode: number, code: string, description: string, headers?: Record<string, string>) {
    super(description)
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.code = code
    this.headers = headers
  }

  toJSON (): { error_code: string, description: string } {
    return { error_code: this.code, description: this.message }
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError

const err = (status: number, code: string) => (description: string) => new ApiError(status, code, description)

// Front door (DECISIONS #1-#7)
export const nodeNotInCluster = () =>
  new ApiError(503, 'node_not_in_cluster', 'Contacted node is currently not a member of any active cluster')
export const invalidHeader = err(400, 'invalid_header')
export const unsupportedApiVersion = (value: string) =>
  new ApiError(505, 'unsupported_api_version', `Unsupported x-api-version: ${JSON.stringify(value)}`)
export const unauthorized = (description = 'Authentication required: wrong or missing credentials') =>
  new ApiError(401, 'unauthorized', description, { 'www-authenticate': 'Basic realm="Redis Enterprise"' })
export const userLocked = () =>
  new ApiError(401, 'user_locked', 'User is locked out after too many failed logins', { 'www-authenticate': 'Basic realm="Redis Enterprise"' })
export const insufficientPermissions = (permission: string) =>
  new ApiError(403, 'insufficient_permissions', `The user's role does not have the '${permission}' permission`)

// Routing and transport
export const routeNotFound = (method: string, url: string) =>
  new ApiError(404, 'not_found', `No such resource: ${method} ${url.split('?')[0]}`)
export const methodNotAllowed = (method: string, url: string) =>
  new ApiError(405, 'method_not_allowed', `Method ${method} is not allowed on ${url.split('?')[0]}`)
export const invalidJson = err(400, 'invalid_json')
export const invalidSchema = err(400, 'invalid_schema')
export const requestTooLarge = (limit: number) =>
  new ApiError(413, 'request_too_large', `Request body is larger than the limit of ${limit} bytes`)
export const badRequest = err(400, 'bad_request')
export const internalError = () => new ApiError(500, 'internal_error', 'Internal error')

// Objects that do not exist (DECISIONS #5)
const notFound = (object: string, label = object) => (uid: string | number) =>
  new ApiError(404, `${object}_not_found`, `${label} '${uid}' does not exist`)
export const bdbNotFound = notFound('bdb', 'Database')
export const userNotFound = notFound('user', 'User')
export const roleNotFound = notFound('role', 'Role')
export const redisAclNotFound = notFound('redis_acl', 'Redis ACL')
export const nodeNotFound = notFound('node', 'Node')
export const actionNotFound = notFound('action', 'Action')
export const shardNotFound = notFound('shard', 'Shard')
export const moduleNotFound = notFound('module', 'Module')
