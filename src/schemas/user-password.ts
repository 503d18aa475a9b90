// /v1/users/password bodies and PATCH /v1/cluster/change_password_hashing_algorithm (docs/rs-api-notes.md §5.3).
import { obj, str, strEnum, type SchemaObject } from './common.js'

/** The algorithms a cluster may hash passwords with (the store's access/passwords.ts implements them). */
export const HASHING_ALGORITHMS = ['SHA-256', 'PBKDF2'] as const

const username = str({ minLength: 1 })

export const passwordAddSchema: SchemaObject = obj({ username, new_password: str() }, ['new_password'])
export const passwordDeleteSchema: SchemaObject = obj({ username, old_password: str() }, ['old_password'])
export const hashingAlgorithmSchema: SchemaObject = obj({ algorithm: strEnum(...HASHING_ALGORITHMS) }, ['algorithm'])
