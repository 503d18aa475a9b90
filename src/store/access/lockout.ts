// Login lockout from the cluster policy (docs/rs-api-notes.md §6.2, docs/decisions.md #12). The state lives on the
// user record; time is the store clock, so tests drive it with a fake clock.
import type { Core, UserRecord } from '../kernel/index.js'

const setting = (core: Core, key: string, fallback: number): number => {
  const v = core.state.policy[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback
}

/** Ends the lockout and forgets earlier failures (a successful login, an elapsed lock, a new password). */
export function clearFailures (record: UserRecord): boolean {
  const wasLocked = record.user.status === 'locked'
  if (wasLocked) record.user.status = 'active'
  delete record.failures
  delete record.lastFailureMs
  delete record.lockedUntilMs
  return wasLocked
}

/** Whether the user is locked now; a lock whose duration has passed ends here. */
export function isLocked (core: Core, record: UserRecord): boolean {
  if (record.user.status !== 'locked') return false
  // login_lockout_duration 0 means "until an admin sets a new password": no lockedUntilMs.
  if (record.lockedUntilMs === undefined || core.now() < record.lockedUntilMs) return true
  clearFailures(record)
  core.changed()
  return false
}

/** Counts one wrong password; true when this failure locks the user. */
export function recordFailure (core: Core, record: UserRecord): boolean {
  const uid = String(record.user.uid)
  core.log('user_login_failed', { user_uid: uid }, 'WARNING')
  const threshold = setting(core, 'login_lockout_threshold', 5)
  if (threshold <= 0) return false
  const now = core.now()
  // The counter restarts once login_lockout_counter_reset_after seconds pass without a failure.
  const resetMs = setting(core, 'login_lockout_counter_reset_after', 900) * 1000
  if (record.lastFailureMs !== undefined && now - record.lastFailureMs >= resetMs) record.failures = 0
  record.failures = (record.failures ?? 0) + 1
  record.lastFailureMs = now
  if (record.failures < threshold) return false
  const duration = setting(core, 'login_lockout_duration', 1800)
  record.user.status = 'locked'
  delete record.failures
  delete record.lastFailureMs
  if (duration > 0) record.lockedUntilMs = now + duration * 1000
  core.log('user_locked', { user_uid: uid, lockout_duration: duration }, 'WARNING')
  core.changed()
  return true
}
