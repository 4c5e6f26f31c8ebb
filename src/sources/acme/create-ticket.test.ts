import { describeOnEveryAcmeSource } from '../conformance/acme-fixtures.ts';
import { describeCreateTicketSuite } from '../conformance/create-ticket-suite.ts';

await describeOnEveryAcmeSource('the ticket suite', describeCreateTicketSuite);
