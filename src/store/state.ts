// The fake cluster's whole state: plain data in the real wire format, owned by one store.
import type { Bdb } from '../schemas/bdb.js'

export type Json = Record<string, unknown>

export interface UserRecord {
  /** the user as GET /v1/users/{uid} returns it */
  user: Json & { uid: number, email: string, role_uids?: number[], role?: string, status?: string }
  /** salted SHA-256 of the password; never serialized into a response */
  salt: string
  hash: string
}

export interface Seed {
  cluster: Json
  policy: Json
  license: Json | null
  bootstrap: Json
  nodes: Json[]
  bdbs: Bdb[]
  users: Array<Json & { password?: string }>
  roles: Json[]
  redisAcls: Json[]
  modules: Json[]
}

export interface State {
  clusterStateId: number
  inCluster: boolean
  cluster: Json
  policy: Json
  license: Json | null
  bootstrap: Json
  nodes: Map<number, Json & { uid: number }>
  bdbs: Map<number, Bdb>
  users: Map<number, UserRecord>
  roles: Map<number, Json & { uid: number, name: string, management: string }>
  redisAcls: Map<number, Json & { uid: number, name: string, acl: string }>
  modules: Json[]
  events: Json[]
}

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** ISO-8601 UTC without fractional seconds, as every RS timestamp. */
export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
