import { describeEventBusConformance } from '../../test/support/event-bus-conformance.ts';
import { LocalEventBus } from './local-event-bus.ts';

describeEventBusConformance('local (one process)', async () => {
  const bus = new LocalEventBus();
  return { publisher: bus, subscriber: bus, cleanup: () => bus.close() };
});
