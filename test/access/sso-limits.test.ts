// IdP metadata is request data: it is capped, and read in one linear pass (no regex over the
// whole text), so hostile XML answers its 400 at once. bench/hostile.mjs measures the time.
import t from 'tap'
import { buildTestApp, isRsError } from '../helpers/app.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')
const post = (idp: string) => ({ body: { idp_metadata: idp } })

t.test('hostile IdP metadata: the documented 400s, and well-formed metadata still imports', async t => {
  const { call, store } = await buildTestApp(t)
  const url = '/v1/cluster/sso/saml/metadata/idp'
  const before = JSON.stringify(store.state)

  // Unclosed start tags: seconds of backtracking for a regex over the text. 40,000 of them (937 KB)
  // are past the cap; 20,000 are read.
  isRsError(t, await call('POST', url, post(b64('<EntityDescriptor '.repeat(40_000)))), 400, 'invalid_schema')
  isRsError(t, await call('POST', url, post(b64('<EntityDescriptor '.repeat(20_000)))), 400, 'saml_metadata_parsing_error')
  isRsError(t, await call('POST', url, post(b64('<EntityDescriptor entityID="x" '.repeat(12_000) + '>'))), 400, 'saml_metadata_validation_error')
  // base64 with a long run of spaces and a bad character at the end
  isRsError(t, await call('POST', url, post('QUJD' + ' '.repeat(500_000) + '!')), 400, 'saml_metadata_parsing_error')
  isRsError(t, await call('POST', url, post('A'.repeat(600_000))), 400, 'invalid_schema', 'capped at 512 KiB')
  isRsError(t, await call('POST', url, post(b64('<root><EntityDescriptor entityID="x"><IDPSSODescriptor><SingleSignOnService Location="y"/></IDPSSODescriptor></EntityDescriptor></root>'))),
    400, 'saml_metadata_parsing_error', 'the root must be the EntityDescriptor')
  t.equal(JSON.stringify(store.state), before, 'nothing changed')

  const xml = `<?xml version="1.0"?>
<!-- an IdP's metadata, with a comment > and single quotes -->
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID='urn:idp'>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location = "https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`
  const ok = await call('POST', url, post(b64(xml).replace(/(.{76})/g, '$1\n')))
  t.equal(ok.statusCode, 200)
  t.same(ok.json().issuer, { id: 'urn:idp', login_url: 'https://idp.example.com/sso', logout_url: '', metadata: b64(xml) })
})
