// What PUT /v1/bdbs/{uid} and its actions refuse on an Active-Active member database
// (docs/rs-api-notes.md §2.3: the update error codes name_violation, crdt_sharding_violation, not_supported_action_on_crdt).
import type { Bdb } from '../../schemas/bdb.js'
import { crdtShardingViolation, nameViolation, notSupportedActionOnCrdt } from '../../base/errors.js'

/** A member keeps its name, and one created without sharding stays so. */
export function checkCrdtUpdate (old: Bdb, next: Bdb): void {
  if (old.crdt !== true) return
  if (next.name !== old.name) throw nameViolation(old.uid)
  if (old.sharding !== true && next.sharding === true) throw crdtShardingViolation(old.uid)
}

/** reset_admin_pass is not allowed on a member. */
export function checkNotCrdt (bdb: Bdb, action: string): void {
  if (bdb.crdt === true) throw notSupportedActionOnCrdt(bdb.uid, action)
}
