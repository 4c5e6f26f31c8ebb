import type { DomainEvent, EventBus } from './types.ts';

/** In-process event bus: synchronous fan-out to local subscribers. A failing handler is isolated. */
export class LocalEventBus implements EventBus {
  private readonly handlers = new Set<(event: DomainEvent) => void>();

  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  publish(event: DomainEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
  }

  subscribe(handler: (event: DomainEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
