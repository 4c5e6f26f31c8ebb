import type { UserId, UserStore } from '../identity/types.ts';
import type { PolicyEngine } from '../policy/types.ts';
import type { Message } from './types.ts';
import { type Clearance, type HiddenMessage, VisibilityChecker } from './visibility.ts';

/**
 * Visibility for fan-out: the rules of `VisibilityChecker` (audience, requester, label
 * clearance — not restated here) applied to every reader of an event at once, with clearance
 * decisions memoized. The readers' current user records are read in one batch per event; a memo
 * key holds everything a `readLabel` decision depends on — the policy version, the reader and
 * their entity version (groups), and the labels (whose policy entities derive from their ids) —
 * so a policy or group change misses at the next event (I3). A reader the store does not know is
 * never memoized: the engine denies them (fail closed).
 */
export class DeliveryVisibility {
  private readonly memo = new Map<string, Clearance>();

  constructor(
    private readonly policy: PolicyEngine,
    private readonly users: UserStore,
    private readonly capacity = 50_000,
  ) {}

  /** The message as each reader may see it (same order as `readers`). */
  async viewAll(readers: readonly UserId[], message: Message): Promise<Array<Message | HiddenMessage>> {
    const found = await this.users.getMany(readers);
    const checker = new SnapshotVisibility(
      this.policy,
      new Map(found.map((user) => [user.id, user.version])),
      this.memo,
      this.capacity,
    );
    return Promise.all(readers.map((reader) => checker.view(reader, message)));
  }
}

/** A `VisibilityChecker` for one event: reader versions as read for it, the shared memo. */
class SnapshotVisibility extends VisibilityChecker {
  constructor(
    private readonly decisions: PolicyEngine,
    private readonly versions: ReadonlyMap<UserId, number>,
    private readonly memo: Map<string, Clearance>,
    private readonly capacity: number,
  ) {
    super(decisions);
  }

  override async clearance(reader: UserId, labels: readonly string[]): Promise<Clearance> {
    const version = this.versions.get(reader);
    if (version === undefined) return super.clearance(reader, labels);
    const key = `${this.decisions.version}\u0000${reader}\u0000${version}\u0000${labels.join('\u0001')}`;
    const known = this.memo.get(key);
    if (known) return known;
    const clearance = await super.clearance(reader, labels);
    // Entries of old versions can never hit again; when full, start over rather than track recency.
    if (this.memo.size >= this.capacity) this.memo.clear();
    this.memo.set(key, Object.freeze({ ...clearance }));
    return clearance;
  }
}
