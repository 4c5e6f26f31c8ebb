import { describeOnEveryAcmeSource } from './conformance/acme-fixtures.ts';
import { describeSqlRunnerSuite } from './conformance/sql-runner-suite.ts';

await describeOnEveryAcmeSource('the query runner suite', describeSqlRunnerSuite);
