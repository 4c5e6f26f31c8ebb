import { describeOnEveryAcmeSource } from '../../test/support/conformance/sources/acme-fixtures.ts';
import { describeSqlRunnerSuite } from '../../test/support/conformance/sources/sql-runner-suite.ts';

await describeOnEveryAcmeSource('the query runner suite', describeSqlRunnerSuite);
