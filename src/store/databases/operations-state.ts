// State of the database operations that is not part of any RS object: the default user's
// passwords, the failures a test arranged for the next export/import/backup, and the module
// artifacts uploaded to this node. Kept apart so older state documents (without it) still load.
import type { Json } from '../kernel/state.js'

export type DataOperation = 'export' | 'import' | 'backup'

/** What belongs to one database; `bdb_created` ties it to that database (a reused uid starts clean). */
export interface BdbOperations {
  bdb_created: string
  /** the default user's passwords (POST/PUT/DELETE /v1/bdbs/{uid}/passwords), oldest first */
  passwords?: string[]
  /** the failure reason the next run of each operation ends with (test control) */
  fail_next?: Partial<Record<DataOperation, string>>
}

export interface OperationsState {
  bdbs: Map<number, BdbOperations>
  /** module artifacts on this node: {module_name, version, semantic_version, dependencies, ...} */
  artifacts: Json[]
}

export const newOperationsState = (): OperationsState => ({ bdbs: new Map(), artifacts: [] })
