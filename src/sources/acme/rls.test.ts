import { describeOnEveryAcmeSource } from '../../../test/support/conformance/sources/acme-fixtures.ts';
import { describeRlsSuite } from '../../../test/support/conformance/sources/rls-suite.ts';

await describeOnEveryAcmeSource('the row-level security suite', describeRlsSuite);
