import { describeOnEveryAcmeSource } from '../../test/support/conformance/sources/acme-fixtures.ts';
import { describeHardeningSuite } from '../../test/support/conformance/sources/hardening-suite.ts';

await describeOnEveryAcmeSource('the hardening suite', describeHardeningSuite);
