// Node addresses (the node object page: "IP address or host name"): what every route, control
// call and flag that takes one accepts. They reach redis.conf (`bind`) and TLS names, so nothing
// else gets through: no spaces, quotes or line breaks.
import { isIP } from 'node:net'

// RFC 1123 labels; each is bounded, so matching stays linear in the length.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const HOST_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`)

/** An IPv4 or IPv6 literal, or a host name of at most 253 characters. */
export function isHostOrAddress (value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) return false
  return HOST_NAME.test(value) || isIP(value) !== 0
}

/** The first of `values` that is not an address or host name, or undefined. */
export function badAddress (values: readonly unknown[]): string | undefined {
  const bad = values.find(v => !isHostOrAddress(v))
  return bad === undefined ? undefined : String(bad).slice(0, 100)
}
