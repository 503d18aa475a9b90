// What makes each settings object itself: defaults, merge rule, semantic checks, presentation.
// The defaults are the values the objects pages document (or their examples show).
import {
  cannotDeleteAuditConfigWhenBdbEnabled, cannotDeleteAuditConfigWhenPolicyEnabled, dbConnsAuditConfigNotFound,
  illegalFieldsCombination, invalidSchema, missingCertificate, missingField, missingParam, noResponderUrl, type ApiError
} from '../../base/errors.js'
import { DIAGNOSTICS_TARGETS, SERVICES, SERVICES_OFF_BY_DEFAULT } from '../../schemas/settings.js'
import type { Core, Json, SettingName, State } from '../kernel/index.js'
import { responderUrl } from './certificates.js'
import { serviceModeChanged } from './services.js'

export interface SettingDef {
  /** event prefix in /v1/logs: `<log>_<field>_updated`, `<log>_deleted` */
  log: string
  defaults(state: State): Json
  /** nested objects of a PUT merge key by key instead of replacing */
  deep?: boolean
  /** a PUT sets the whole object: omitted fields take their defaults */
  replace?: boolean
  check?(next: Json, old: Json, state: State): void
  present?(value: Json, state: State): Json
  /** DELETE of an object never set: its 404 (else a no-op) */
  missing?: () => ApiError
  beforeClear?(state: State): void
  changed?(old: Json, next: Json, core: Core): void
}

const every = (min: number) => ({ cron_expression: `*/${min} * * * *` })
const s = (v: unknown): string => typeof v === 'string' ? v : ''

function checkTimezone (next: Json): void {
  try {
    Intl.DateTimeFormat('en-US', { timeZone: String(next.timezone) }).resolvedOptions()
  } catch {
    throw invalidSchema(`timezone: '${String(next.timezone)}' is not a time zone of the tz database`)
  }
}

const UNITS = 'BKMGTPE'
const bucketBytes = (b: string): number => {
  const unit = UNITS.indexOf(b.at(-1) ?? '')
  return unit < 0 ? Number(b) : Number(b.slice(0, -1)) * 1024 ** unit
}
function checkBuckets (next: Json): void {
  for (const field of ['key_size_buckets', 'key_items_buckets']) {
    const values = s(next[field]).split(',').filter(Boolean).map(bucketBytes)
    if (values.some((v, i) => i > 0 && v <= values[i - 1])) throw invalidSchema(`${field}: the boundaries must be strictly ascending`)
  }
}

function checkLdap (next: Json, old: Json): void {
  // A GET answer sent back: the masked bind_pass means "keep it".
  if (next.bind_pass === '***') next.bind_pass = old.bind_pass
  if (s(next.dn_group_attr) !== '' && next.dn_group_query !== undefined) throw illegalFieldsCombination('dn_group_attr and dn_group_query are mutually exclusive')
  if (s(next.user_dn_template) !== '' && next.user_dn_query !== undefined) throw illegalFieldsCombination('user_dn_template and user_dn_query are mutually exclusive')
  if (next.control_plane !== true && next.data_plane !== true) return
  if ((next.uris as unknown[]).length === 0) throw illegalFieldsCombination('uris is required to enable LDAP')
  if (s(next.user_dn_template) === '' && next.user_dn_query === undefined) throw illegalFieldsCombination('user_dn_template or user_dn_query is required to enable LDAP')
  if (s(next.dn_group_attr) === '' && next.dn_group_query === undefined) throw illegalFieldsCombination('dn_group_attr or dn_group_query is required to enable LDAP')
}

function samlService (value: Json, state: State): Json {
  const service = value.service as Json
  const address = s(service.address) !== '' ? s(service.address) : `https://${String(state.cluster.name)}:${String(state.cluster.cm_port ?? 8443)}`
  return { ...service, saml2: { entity_id: `${address}/sp`, acs_url: `${address}/v1/cluster/sso/saml/acs`, slo_url: `${address}/v1/cluster/sso/saml/slo` } }
}

const defs = {
  cm_settings: {
    log: 'cm_settings',
    defaults: () => ({ timezone: 'UTC' }),
    check: checkTimezone
  },
  diagnostics: {
    log: 'diagnostics',
    deep: true,
    defaults: () => Object.fromEntries(DIAGNOSTICS_TARGETS.map(t => [t,
      t === 'slowlog_target' ? { ...every(10), max_entries: 100 } : every(t === 'command_stats_target' || t === 'network_stats_target' ? 30 : 10)]))
  },
  job_scheduler: {
    log: 'job_scheduler',
    deep: true,
    defaults: () => ({
      backup_job_settings: { ...every(5), enabled: true },
      bdb_usage_report_job_settings: { cron_expression: '0 */1 * * *', enabled: false, file_retention_days: 365 },
      cert_rotation_job_settings: { cron_expression: '0 * * * *', enabled: true, expiry_days_before_rotation: 60 },
      log_rotation_job_settings: { ...every(5), enabled: true },
      node_checks_job_settings: { cron_expression: '0 * * * *', enabled: true },
      redis_cleanup_job_settings: { cron_expression: '0 * * * *' },
      rotate_ccs_job_settings: { ...every(5), enabled: true, file_suffix: '5min', rotate_max_num: 24 }
    })
  },
  metrics_config: {
    log: 'metrics_config',
    defaults: () => ({
      key_distribution_enabled: false,
      key_size_buckets: '',
      key_items_buckets: '',
      local_storage_max_size_mb: 1024,
      local_storage_retention_days: 8,
      expose_db_tags: false,
      metrics_tag_keys_exposed: [],
      max_requests_in_flight: 2
    }),
    check: checkBuckets
  },
  services_configuration: {
    log: 'services_configuration',
    deep: true,
    defaults: () => Object.fromEntries(SERVICES.map(name =>
      [name, { operating_mode: SERVICES_OFF_BY_DEFAULT.includes(name) ? 'disabled' : 'enabled' }])),
    changed: serviceModeChanged
  },
  db_conns_auditing: {
    log: 'db_conns_auditing_config',
    // docs/decisions.md #25: nothing configured reads as {}
    defaults: () => ({}),
    check (next: Json) {
      next.audit_protocol ??= 'TCP'
      next.audit_reconnect_interval ??= 1
      next.audit_reconnect_max_attempts ??= 0
      if (next.audit_protocol !== 'TCP') return
      for (const f of ['audit_address', 'audit_port']) if (next[f] === undefined) throw missingField(f)
    },
    present: (v: Json) => Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : 1)),
    missing: dbConnsAuditConfigNotFound,
    beforeClear (state: State) {
      if (state.policy.db_conns_auditing === true) throw cannotDeleteAuditConfigWhenPolicyEnabled()
      for (const bdb of state.bdbs.values()) if ((bdb as Json).db_conns_auditing === true) throw cannotDeleteAuditConfigWhenBdbEnabled(bdb.uid)
    }
  },
  ocsp: {
    log: 'ocsp',
    defaults: () => ({ ocsp_functionality: false, query_frequency: 3600, recovery_frequency: 60, recovery_max_tries: 5, response_timeout: 1 }),
    check (next: Json, _old: Json, state: State) {
      if (next.ocsp_functionality === true && responderUrl(state) === '') throw noResponderUrl()
    },
    // the captured key order; responder_url comes from the proxy certificate
    present: (v: Json, state: State) => ({
      ocsp_functionality: v.ocsp_functionality,
      query_frequency: v.query_frequency,
      recovery_frequency: v.recovery_frequency,
      recovery_max_tries: v.recovery_max_tries,
      responder_url: responderUrl(state),
      response_timeout: v.response_timeout
    })
  },
  ldap: {
    log: 'ldap_config',
    replace: true,
    defaults: () => ({
      bind_dn: '', bind_pass: '', ca_cert: '', cache_ttl: 300, cba: false, control_plane: false, data_plane: false,
      directory_timeout_s: 5, dn_group_attr: '', starttls: false, uris: [], user_dn_template: ''
    }),
    check: checkLdap,
    present: (v: Json) => {
      const out = Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : 1))
      if (s(out.bind_pass) !== '') out.bind_pass = '***'
      return out
    }
  },
  sso: {
    log: 'sso_config',
    deep: true,
    defaults: () => ({
      control_plane: false,
      enforce_control_plane: false,
      protocol: 'saml2',
      issuer: { id: '', login_url: '', logout_url: '' },
      service: { address: '' }
    }),
    // docs/decisions.md #56: a PUT leaves an issuer that can be used (the page's 400 missing_param);
    // enabling also needs the certificate (its 406).
    check (next: Json, _old: Json, state: State) {
      const issuer = next.issuer as Json
      const why = next.control_plane === true ? 'to enable SSO' : 'in an SSO configuration'
      for (const f of ['id', 'login_url']) if (s(issuer[f]) === '') throw missingParam(`issuer.${f} is required ${why}`)
      if (next.control_plane !== true) return
      if (state.certificates.sso_service === undefined) throw missingCertificate('The sso_service certificate is required to enable SSO')
    },
    present: (v: Json, state: State) => ({ ...v, service: samlService(v, state) })
  }
} satisfies Record<string, SettingDef>

// The kernel names the settings (kernel/slices.ts): this list and that one must hold the same names.
const sameNames: [SettingName, keyof typeof defs] extends [keyof typeof defs, SettingName] ? true : never = true
export const SETTINGS: Readonly<Record<SettingName, SettingDef>> = sameNames && defs
export type { SettingName } from '../kernel/index.js'
