// The cluster as a whole: bootstrap, cluster object and policy, nodes, license, modules.
import type { Core } from './core.js'
import type { Json } from './state.js'

export class Cluster {
  constructor (private readonly core: Core) {}

  bootstrapStatus (): Json { return this.core.state.bootstrap }
}
