import { SqlQueryError } from './sql-query-error.ts';

/** How many queries a scheduler lets run and wait, overall and per person. */
export interface FairQuerySchedulerOptions {
  /** Queries running at once, everyone together (1 on PGlite: it is one session anyway). */
  concurrency: number;
  /** Queries of one person running at once. */
  perPerson: number;
  /** Queries of one person waiting at most; the next one is refused (`busy`) at once. */
  maxQueuedPerPerson: number;
}

interface Waiter {
  start: () => void;
}

interface Person {
  running: number;
  queue: Waiter[];
  /** When this person last got a slot (a dispatch counter): the longest-waiting goes first. */
  servedAt: number;
}

/**
 * Shares one data source fairly between people (issue 7 item 4): each person's queries wait in a
 * FIFO of their own, and a free slot goes to the person served least recently (round robin), as
 * long as they have fewer than `perPerson` running. One person flooding the source therefore
 * delays anyone else by at most one of their statements per slot, not by their whole backlog.
 * A person with `maxQueuedPerPerson` waiting is refused at once rather than queued without bound.
 * State lives in the instance: create one per source.
 */
export class FairQueryScheduler {
  readonly options: Readonly<FairQuerySchedulerOptions>;
  readonly #people = new Map<string, Person>();
  #running = 0;
  #dispatches = 0;

  constructor(options: FairQuerySchedulerOptions) {
    for (const [name, value] of Object.entries(options)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
    }
    this.options = { ...options };
  }

  /** Queries running now, and waiting, everyone together. */
  get load(): { running: number; queued: number } {
    let queued = 0;
    for (const person of this.#people.values()) queued += person.queue.length;
    return { running: this.#running, queued };
  }

  /**
   * Runs `fn` in `person`'s turn and holds their slot until it settles. Rejects with
   * `SqlQueryError` `busy` when `person` already has `maxQueuedPerPerson` queries waiting, and
   * with `signal`'s reason when it aborts before `fn` started (the place in line is given up;
   * once started, `fn` keeps its slot until it settles: the engine is still busy with it).
   */
  run<T>(person: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelled(signal));
    const state = this.#personOf(person);
    if (state.queue.length >= this.options.maxQueuedPerPerson) {
      this.#forgetIfIdle(person, state);
      return Promise.reject(
        new SqlQueryError(
          'busy',
          `too many queries waiting: at most ${this.options.maxQueuedPerPerson} of yours may wait on this data source; ` +
            'retry when earlier ones have finished',
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = state.queue.indexOf(waiter);
        if (index < 0) return;
        state.queue.splice(index, 1);
        this.#forgetIfIdle(person, state);
        reject(cancelled(signal as AbortSignal));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          let result: Promise<T>;
          try {
            result = fn();
          } catch (error) {
            result = Promise.reject(error);
          }
          result.then(resolve, reject).finally(() => this.#release(person, state));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.queue.push(waiter);
      this.#dispatch();
    });
  }

  #personOf(person: string): Person {
    let state = this.#people.get(person);
    if (!state) {
      // Never served: ahead of everyone who has been (a newcomer is the longest waiting).
      state = { running: 0, queue: [], servedAt: -1 };
      this.#people.set(person, state);
    }
    return state;
  }

  #release(person: string, state: Person): void {
    state.running -= 1;
    this.#running -= 1;
    this.#forgetIfIdle(person, state);
    this.#dispatch();
  }

  #forgetIfIdle(person: string, state: Person): void {
    if (state.running === 0 && state.queue.length === 0) this.#people.delete(person);
  }

  /** Fills free slots, each with the eligible person served least recently. */
  #dispatch(): void {
    while (this.#running < this.options.concurrency) {
      let next: Person | undefined;
      for (const state of this.#people.values()) {
        if (state.queue.length === 0 || state.running >= this.options.perPerson) continue;
        if (!next || state.servedAt < next.servedAt) next = state;
      }
      const waiter = next?.queue.shift();
      if (!next || !waiter) return;
      next.running += 1;
      next.servedAt = ++this.#dispatches;
      this.#running += 1;
      waiter.start();
    }
  }
}

function cancelled(signal: AbortSignal): SqlQueryError {
  return new SqlQueryError('failed', 'the query was cancelled before it ran', undefined, { cause: signal.reason });
}
