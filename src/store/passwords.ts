import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export function hashPassword (password: string, salt = randomBytes(16).toString('hex')): { salt: string, hash: string } {
  return { salt, hash: createHash('sha256').update(salt).update(password).digest('hex') }
}

/** The salted hash the API checks logins with, and the SHA-256 a Redis ACL user is given. */
export const passwordRecord = (password: string): { salt: string, hash: string, sha256: string } =>
  ({ ...hashPassword(password), sha256: createHash('sha256').update(password).digest('hex') })

/** Constant-time comparison: a wrong password and a near miss take the same time. */
export function verifyPassword (password: string, salt: string, hash: string): boolean {
  const candidate = Buffer.from(hashPassword(password, salt).hash, 'hex')
  const expected = Buffer.from(hash, 'hex')
  return candidate.length === expected.length && timingSafeEqual(candidate, expected)
}

// Compared against when the login names no user, so an unknown user costs the same as a wrong password.
export const dummyCredential = hashPassword(randomBytes(8).toString('hex'))
