import { describeOnEveryAcmeSource } from '../../support/conformance/sources/acme-fixtures.ts';
import { describeCreateTicketSuite } from '../../support/conformance/sources/create-ticket-suite.ts';

await describeOnEveryAcmeSource('the ticket suite', describeCreateTicketSuite);
