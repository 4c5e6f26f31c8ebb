import { describeSqlRunnerSuite } from '../../test/support/conformance/sources/sql-runner-suite.ts';
import { describeOnEveryExampleSource } from '../../test/support/example-workspace.ts';

await describeOnEveryExampleSource('the query runner suite', describeSqlRunnerSuite);
