import { MemoryConnectorCredentialStore } from './connector-credentials-memory-store.ts';
import { describeConnectorCredentialStoreConformance } from './connector-credentials-store-conformance.ts';

describeConnectorCredentialStoreConformance('memory', async () => ({ store: new MemoryConnectorCredentialStore() }));
