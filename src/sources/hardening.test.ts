import { describeHardeningSuite } from '../../test/support/conformance/sources/hardening-suite.ts';
import { describeOnEveryExampleSource } from '../../test/support/example-workspace.ts';

await describeOnEveryExampleSource('the hardening suite', describeHardeningSuite);
