// License keys: the trial a fresh cluster installs (docs/decisions.md #16) and the keys PUT /v1/license
// and bootstrap accept. Real keys are signed; the mock cannot check a signature, so a key is any
// text between the LICENSE START/END markers whose body is base64. When that base64 decodes to a
// JSON object, its fields set the terms (see docs/cluster.md), which is how a test installs an
// expired or a small license.
import { randomBytes } from 'node:crypto'
import { invalidLicense, licenseViolation } from '../../base/errors.js'
import { isoSeconds, type Json } from '../kernel/index.js'

const DAY = 86_400_000
const KEY = /^\s*-----\s*(?:DEFAULT\s+)?LICENSE START\s*-----\s*([A-Za-z0-9+/=\s]+?)\s*-----\s*LICENSE END\s*-----\s*$/

const wrap = (body: string, trial = false): string =>
  `----- ${trial ? 'DEFAULT ' : ''}LICENSE START -----\n${body.match(/.{1,76}/g)?.join('\n') ?? ''}\n----- LICENSE END -----\n`

/** The license object, in the captured key order. */
function licenseObject (text: string, terms: Json): Json {
  return {
    activation_date: terms.activation_date,
    cluster_name: terms.cluster_name ?? null,
    expiration_date: terms.expiration_date,
    expired: false,
    features: terms.features ?? [],
    flash_shards_in_use: 0,
    flash_shards_limit: terms.flash_shards_limit ?? null,
    key: terms.key ?? '',
    license: text,
    owner: terms.owner ?? null,
    ram_shards_in_use: 0,
    ram_shards_limit: terms.ram_shards_limit ?? null,
    shards_limit: terms.shards_limit ?? null
  }
}

/** docs/decisions.md #16: 30 days, 4 shards, features ["trial"], no owner or cluster name. */
export function trialLicense (now: number): Json {
  return licenseObject(wrap(randomBytes(96).toString('base64'), true), {
    activation_date: isoSeconds(now),
    expiration_date: isoSeconds(now + 30 * DAY),
    features: ['trial'],
    shards_limit: 4
  })
}

const TERM_TYPES: Record<string, (v: unknown) => boolean> = {
  activation_date: v => typeof v === 'string' && Number.isFinite(Date.parse(v)),
  expiration_date: v => typeof v === 'string' && Number.isFinite(Date.parse(v)),
  cluster_name: v => v === null || typeof v === 'string',
  owner: v => v === null || typeof v === 'string',
  key: v => typeof v === 'string',
  features: v => Array.isArray(v) && v.every(f => typeof f === 'string'),
  shards_limit: v => v === null || (Number.isInteger(v) && (v as number) >= 0),
  ram_shards_limit: v => v === null || (Number.isInteger(v) && (v as number) >= 0),
  flash_shards_limit: v => v === null || (Number.isInteger(v) && (v as number) >= 0)
}

/** 400 invalid_license for a corrupt key; 406 license_violation for one this cluster cannot use. */
export function parseLicense (text: string, now: number, context: { clusterName: string, shardsInUse: number }): Json {
  const body = KEY.exec(text)?.[1]?.replace(/\s+/g, '')
  if (body === undefined || body === '' || body.length % 4 !== 0) throw invalidLicense('The license key is corrupt: expected base64 text between the LICENSE START and LICENSE END lines')
  let terms: Json = {}
  try {
    const decoded: unknown = JSON.parse(Buffer.from(body, 'base64').toString('utf8'))
    if (decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded)) terms = decoded as Json
  } catch { /* an opaque key: default terms */ }
  for (const [k, v] of Object.entries(terms)) {
    if (k in TERM_TYPES && !TERM_TYPES[k](v)) throw invalidLicense(`The license key is corrupt: bad '${k}'`)
  }
  const license = licenseObject(text, {
    activation_date: isoSeconds(now),
    expiration_date: isoSeconds(now + 365 * DAY),
    ...terms
  })
  license.activation_date = isoSeconds(Date.parse(String(license.activation_date)))
  license.expiration_date = isoSeconds(Date.parse(String(license.expiration_date)))
  if (Date.parse(String(license.expiration_date)) <= now) throw licenseViolation(`The license expired on ${String(license.expiration_date)}`)
  if (license.cluster_name !== null && license.cluster_name !== context.clusterName) {
    throw licenseViolation(`The license is for cluster '${String(license.cluster_name)}', not '${context.clusterName}'`)
  }
  const limit = license.shards_limit as number | null
  if (limit !== null && limit < context.shardsInUse) {
    throw licenseViolation(`The license allows ${limit} shards but ${context.shardsInUse} are in use`)
  }
  license.ram_shards_in_use = context.shardsInUse
  return license
}

/** `expired` follows the clock. */
export function presentLicense (license: Json, now: number): Json {
  const expired = license.expired === true || Date.parse(String(license.expiration_date)) <= now
  return { ...license, expired }
}

/** A key in the mock's format, for docs/cluster.md and tests. */
export const makeLicenseKey = (terms: Json): string => wrap(Buffer.from(JSON.stringify(terms)).toString('base64'))
