export { DeliveryVisibility } from './delivery-visibility.ts';
export { type Delivery, type DeliveryDecider, type DeliveryPlan, planDelivery } from './event-delivery.ts';
export { type HubSocket, SOCKET_CLOSED, SOCKET_OPEN, type SocketPrincipal } from './hub-socket.ts';
export { KeyedSerialQueue } from './keyed-serial-queue.ts';
export { LocalEventBus } from './local-event-bus.ts';
export { createPgEventBus, PgEventBus, type PgEventBusOptions } from './pg-event-bus.ts';
export { type EventPayloadSource, NOTIFY_PAYLOAD_LIMIT } from './pg-event-payload.ts';
export { type HubStats, RealtimeHub, type RealtimeHubOptions } from './realtime-hub.ts';
export type { DomainEvent, EventBus } from './types.ts';
