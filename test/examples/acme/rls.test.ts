import { describeOnEveryAcmeSource } from '../../support/conformance/sources/acme-fixtures.ts';
import { describeRlsSuite } from '../../support/conformance/sources/rls-suite.ts';

await describeOnEveryAcmeSource('the row-level security suite', describeRlsSuite);
