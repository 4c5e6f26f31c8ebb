import { describeOnEveryAcmeSource } from '../../support/conformance/sources/acme-fixtures.ts';
import { describeRlsPropertySuite } from '../../support/conformance/sources/rls-property-suite.ts';

await describeOnEveryAcmeSource('the row-level security property', describeRlsPropertySuite);
