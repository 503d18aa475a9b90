import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import type { HASHING_ALGORITHMS } from '../../schemas/user-password.js'

/** The two algorithms PATCH /v1/cluster/change_password_hashing_algorithm offers. */
export type HashingAlgorithm = typeof HASHING_ALGORITHMS[number]

// PBKDF2 hashes carry their algorithm in the stored text, so both kinds verify side by side.
const PBKDF2_PREFIX = 'pbkdf2$'
const PBKDF2_ROUNDS = 10_000

export interface Credential { salt: string, hash: string }

export function hashPassword (password: string, salt = randomBytes(16).toString('hex'), algorithm: HashingAlgorithm = 'SHA-256'): Credential {
  if (algorithm === 'PBKDF2') return { salt, hash: PBKDF2_PREFIX + pbkdf2Sync(password, salt, PBKDF2_ROUNDS, 32, 'sha256').toString('hex') }
  return { salt, hash: createHash('sha256').update(salt).update(password).digest('hex') }
}

const algorithmOf = (hash: string): HashingAlgorithm => hash.startsWith(PBKDF2_PREFIX) ? 'PBKDF2' : 'SHA-256'

/** The salted hash the API checks logins with, and the SHA-256 a Redis ACL user is given. */
export const passwordRecord = (password: string, algorithm?: HashingAlgorithm): { salt: string, hash: string, sha256: string } =>
  ({ ...hashPassword(password, undefined, algorithm), sha256: createHash('sha256').update(password).digest('hex') })

/** Constant-time comparison: a wrong password and a near miss take the same time. */
export function verifyPassword (password: string, salt: string, hash: string): boolean {
  const candidate = Buffer.from(hashPassword(password, salt, algorithmOf(hash)).hash)
  const expected = Buffer.from(hash)
  return candidate.length === expected.length && timingSafeEqual(candidate, expected)
}

/**
 * A user's active passwords: the record's own credential and the ones added next to it
 * (POST /v1/users/password). Every one is checked, so the time does not tell which matched.
 */
export function verifyAny (password: string, record: Credential & { extraPasswords?: Credential[] }): boolean {
  let ok = verifyPassword(password, record.salt, record.hash)
  for (const c of record.extraPasswords ?? []) ok = verifyPassword(password, c.salt, c.hash) || ok
  return ok
}

// Compared against when the login names no user, so an unknown user costs the same as a wrong password.
export const dummyCredential = hashPassword(randomBytes(8).toString('hex'))

/** The algorithm new passwords are hashed with: the cluster's password_hashing_algorithm. */
export const clusterAlgorithm = (cluster: Record<string, unknown>): HashingAlgorithm =>
  cluster.password_hashing_algorithm === 'PBKDF2' ? 'PBKDF2' : 'SHA-256'
