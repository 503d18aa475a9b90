// The marked tests against a real RS cluster: set RS_TEST_URL, RS_TEST_USER, RS_TEST_PASSWORD
// (and RS_TEST_INSECURE=1 or RS_TEST_CA) to run them; without RS_TEST_URL they skip.
// CONTRIBUTING.md says how to run them and report a difference.
import t from 'tap'
import { realClusterTarget, targetProblem } from '../helpers/real-cluster.js'
import { realClusterSuite } from './suite.js'

const target = realClusterTarget()
t.test('against the cluster of RS_TEST_URL', { skip: target === undefined ? targetProblem() : false }, async t => {
  t.teardown(() => target!.close())
  await realClusterSuite(t, target!)
})
