export { memoryProvenance } from './memory-origin.ts';
export { MemoryService } from './memory-service.ts';
export type { Memory, MemoryOrigin, MemorySource, MemoryStore } from './types.ts';
