// The one reader of the Authorization header: the front door, the store's login, the control
// API's login and the journal all ask it, so a header means the same thing everywhere.
// Basic follows RFC 7617 the way RS reads it (base64 credentials, no control characters, a
// colon); `JWT <token>` and `Bearer <token>` carry a token (docs/decisions.md #13). Separators are
// spaces or tabs (RFC 7230 BWS). The front door decodes a Basic login it has not verified before
// through @fastify/basic-auth: what this parser calls Basic, that plugin reads the same way.
import { unauthorized } from './errors.js'

export type Authorization =
  | { scheme: 'basic', user: string, password: string }
  | { scheme: 'token', kind: 'jwt' | 'bearer', token: string }
  | { scheme: 'malformed' }

const BASIC = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i
const TOKEN = /^(jwt|bearer)[ \t]+(\S+)\s*$/i
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1F\x7F]/
// @fastify/basic-auth's split at the first colon; its `.` stops at U+2028 and U+2029.
const USER_PASS = /^([^:]*):(.*)$/u
const MALFORMED: Authorization = Object.freeze({ scheme: 'malformed' })

/** The answer to a header this parser calls malformed: never a wrong password (no failed login). */
export const malformedAuthorization = () => unauthorized('Missing or malformed Authorization header')

export function parseAuthorization (header: string): Authorization {
  const basic = BASIC.exec(header)
  if (basic !== null) {
    const text = Buffer.from(basic[1], 'base64').toString('utf8')
    const pair = USER_PASS.exec(text)
    if (pair === null || CONTROL.test(text)) return MALFORMED
    return { scheme: 'basic', user: pair[1], password: pair[2] }
  }
  const token = TOKEN.exec(header)
  if (token !== null) return { scheme: 'token', kind: token[1].toLowerCase() as 'jwt' | 'bearer', token: token[2] }
  return MALFORMED
}

/** The login a Basic header names, whether or not its password is right; null for any other header. */
export function claimedLogin (header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header
  if (value === undefined) return null
  const parsed = parseAuthorization(value)
  return parsed.scheme === 'basic' ? parsed.user : null
}
