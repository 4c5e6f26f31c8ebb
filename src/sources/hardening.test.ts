import { describeOnEveryAcmeSource } from './conformance/acme-fixtures.ts';
import { describeHardeningSuite } from './conformance/hardening-suite.ts';

await describeOnEveryAcmeSource('the hardening suite', describeHardeningSuite);
