import { describeConnectorCredentialStoreConformance } from '../support/conformance/connector-credentials-store-conformance.ts';
import { MemoryConnectorCredentialStore } from '../support/connector-credentials-memory-store.ts';

describeConnectorCredentialStoreConformance('memory', async () => ({ store: new MemoryConnectorCredentialStore() }));
