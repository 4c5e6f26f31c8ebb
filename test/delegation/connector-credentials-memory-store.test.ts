import { describeConnectorCredentialStoreConformance } from '../../test/support/conformance/connector-credentials-store-conformance.ts';
import { MemoryConnectorCredentialStore } from './connector-credentials-memory-store.ts';

describeConnectorCredentialStoreConformance('memory', async () => ({ store: new MemoryConnectorCredentialStore() }));
