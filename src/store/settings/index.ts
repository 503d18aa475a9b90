// The cluster's configuration: the settings objects (cm_settings, job_scheduler, ldap, sso, ...),
// the node's services, the certificates, OCSP and the license. Above the kernel only.
export { Certificates, certificatesExpiringBefore } from './certificates.js'
export type { Pem } from './certificates.js'
export { makeLicenseKey, parseLicense, presentLicense, trialLicense } from './license.js'
export { Ocsp } from './ocsp.js'
export type { OcspResponder } from './ocsp.js'
export { Services } from './services.js'
export { Settings } from './settings.js'
export type { SettingName } from './settings.js'
export { SETTINGS } from './settings-defs.js'
