// JWT access tokens for POST /v1/users/authorize and /v1/users/refresh_jwt (docs/rs-api-notes.md §6.2).
// HS256 signed with a secret drawn per store, so a restarted mock rejects old tokens the way a
// real cluster does after a signing-secret change; times follow the store clock.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Core, UserRecord } from '../kernel/index.js'

export const DEFAULT_TOKEN_TTL = 300
export const MAX_TOKEN_TTL = 86400

export interface TokenClaims {
  uid: number
  /** password version: changes with every password set, so older tokens stop verifying */
  pwv: string
  iat: number
  exp: number
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url')
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))

export class Tokens {
  private readonly secret = randomBytes(32)

  constructor (private readonly core: Core) {}

  /** A short digest of the stored credential: a new password (new salt and hash) gives a new one. */
  passwordVersion (record: UserRecord): string {
    return createHmac('sha256', this.secret).update(record.salt).update(record.hash).digest('base64url').slice(0, 16)
  }

  issue (record: UserRecord, ttl = DEFAULT_TOKEN_TTL): string {
    const iat = Math.floor(this.core.now() / 1000)
    const claims: TokenClaims = { uid: record.user.uid, pwv: this.passwordVersion(record), iat, exp: iat + ttl }
    const body = `${HEADER}.${b64url(JSON.stringify(claims))}`
    return `${body}.${this.sign(body)}`
  }

  /** The claims of a well-formed token with a valid signature, expired or not; undefined otherwise. */
  decode (token: string): TokenClaims | undefined {
    const parts = token.split('.')
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`))
    const given = Buffer.from(parts[2])
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims
      return Number.isInteger(claims.uid) && typeof claims.pwv === 'string' && Number.isInteger(claims.exp) ? claims : undefined
    } catch {
      return undefined
    }
  }

  /** The user a token speaks for, or undefined when it is forged, expired, or outlived its password or user. */
  verify (token: string): { record: UserRecord, expMs: number } | undefined {
    const claims = this.decode(token)
    if (claims === undefined || claims.exp * 1000 <= this.core.now()) return undefined
    const record = this.core.state.users.get(claims.uid)
    if (record === undefined || this.passwordVersion(record) !== claims.pwv) return undefined
    return { record, expMs: claims.exp * 1000 }
  }

  private sign (data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url')
  }
}
