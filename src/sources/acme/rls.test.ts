import { describeOnEveryAcmeSource } from '../conformance/acme-fixtures.ts';
import { describeRlsSuite } from '../conformance/rls-suite.ts';

await describeOnEveryAcmeSource('the row-level security suite', describeRlsSuite);
