export { LocalEventBus } from './local-event-bus.ts';
export type { DomainEvent, EventBus } from './types.ts';
