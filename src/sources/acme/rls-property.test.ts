import { describeOnEveryAcmeSource } from '../conformance/acme-fixtures.ts';
import { describeRlsPropertySuite } from '../conformance/rls-property-suite.ts';

await describeOnEveryAcmeSource('the row-level security property', describeRlsPropertySuite);
