// Databases: reads here; creation, updates and deletion with their rules come with the lifecycle.
import type { Bdb } from '../schemas/bdb.js'
import { bdbNotFound } from '../errors.js'
import type { Core } from './core.js'

export class Bdbs {
  constructor (private readonly core: Core) {}

  list (): Bdb[] { return [...this.core.state.bdbs.values()] }

  get (uid: number): Bdb {
    const bdb = this.core.state.bdbs.get(uid)
    if (bdb === undefined) throw bdbNotFound(uid)
    return bdb
  }
}
