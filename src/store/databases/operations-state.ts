// State of the database operations that is not part of any RS object: the default user's
// passwords, the failures a test arranged for the next export/import/backup, and the module
// artifacts uploaded to this node. Kept apart so older state documents (without it) still load.
import type { OperationsState } from '../kernel/index.js'

export type { BdbOperations, DataOperation, OperationsState } from '../kernel/index.js'

export const newOperationsState = (): OperationsState => ({ bdbs: new Map(), artifacts: [] })
