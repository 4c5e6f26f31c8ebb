import { describeOnEveryAcmeSource } from '../../../test/support/conformance/sources/acme-fixtures.ts';
import { describeCreateTicketSuite } from '../../../test/support/conformance/sources/create-ticket-suite.ts';

await describeOnEveryAcmeSource('the ticket suite', describeCreateTicketSuite);
