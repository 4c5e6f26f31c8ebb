/**
 * The governance report of SPEC §9: what a self-authorized design ("agent identity") would cost
 * compared with Behalf's user-authorized one, read from a deployment's users, threads and audit
 * log. Every type here is plain JSON (numbers, strings, arrays, objects; times in milliseconds
 * since the epoch), so the report goes on the wire as it is: `GET /api/governance`, the web UI's
 * plot and `behalf governance` all render the same value.
 */
import type { UserId } from '../identity/types.ts';
import type { PolicyEngine } from '../policy/types.ts';
import type { Clock } from '../shared/clock.ts';
import type { Store } from '../storage/types.ts';
import type { ThreadMode } from '../threads/types.ts';
import type { ToolRegistry } from '../tools/types.ts';

/** The stores the report reads (a full `Store` fits). It never writes. */
export type GovernanceStore = Pick<Store, 'users' | 'threads' | 'documents' | 'audit' | 'agents'>;

/** Where a report computation is; `done` and `total` count audit records. */
export interface GovernanceProgress {
  /** `scan`: first pass (intents, label reach, audit naming); `replay`: re-deciding accesses. */
  phase: 'scan' | 'replay';
  done: number;
  total: number;
}

/** Inputs of `computeGovernanceReport`. */
export interface GovernanceReportOptions {
  store: GovernanceStore;
  /** The live policy engine: decides for the humans, and its policy set decides for the identities. */
  policy: PolicyEngine;
  /** The deployment's tools. Without it, tool-use decisions are not replayed and every tool seen allowed in the log counts. */
  registry?: ToolRegistry;
  onProgress?: (progress: GovernanceProgress) => void;
  /** Stamps `generatedAt`. */
  clock?: Clock;
  /** Audit records read per page (default 500). */
  pageSize?: number;
  /** Examples kept per design and kind, overall and per thread (default 5). */
  maxExamples?: number;
}

/**
 * The kind of access an agent identity would be provisioned for: one tool and one data label
 * family it touched (`sql` × `sales-pipeline`). `tool: null` is the `converse` intent of a thread
 * whose agent used no tool (answering from the thread alone still needs an identity).
 */
export interface GovernanceIntent {
  /** `sql/sales-pipeline`, `search_documents/public`, `sql` (a call that read nothing), `converse`. */
  key: string;
  tool: string | null;
  /** The part of a label before `:` (`sales-pipeline:emea` → `sales-pipeline`); null when no data was involved. */
  labelFamily: string | null;
}

/** One thread as the report names it. */
export interface GovernanceThreadRef {
  id: string;
  title: string;
  mode: ThreadMode;
  /** The provisioned agent identity of a self-authorized thread. */
  agentId: string | null;
  /** Current members, sorted. */
  members: UserId[];
}

/** An agent identity provisioned on this deployment today, and where it acts. */
export interface ProvisionedIdentity {
  id: string;
  name: string;
  groups: string[];
  provisionedBy: UserId;
  /** Self-authorized threads it is assigned to now. */
  threads: string[];
}

/** The identities one distinct member set would need: one per intent. */
export interface IdentityMemberSet {
  /** `alice+bob+carol`. */
  key: string;
  members: UserId[];
  threads: GovernanceThreadRef[];
  /** Union of the intents of its threads, sorted by key. */
  intents: GovernanceIntent[];
  /** Identities to provision for this member set (= `intents.length`). */
  identities: number;
  /** Least common denominator: the groups every member holds (intersection). */
  lcdGroups: string[];
  /** What a "make it work" admin grants: every member's groups (union) — the confused-deputy risk. */
  unionGroups: string[];
  /** `unionGroups` minus `lcdGroups`: rights the agent would hold that some member lacks. */
  unionOnlyGroups: string[];
}

/** Section 1: identities a self-authorized design would have to provision. */
export interface IdentitiesSection {
  /** Σ intents over distinct member sets. */
  selfAuthorized: number;
  /** The user-authorized design provisions nothing extra: the agent borrows the requester's identity. */
  userAuthorized: 0;
  memberSets: IdentityMemberSet[];
  /** Agent identities an administrator actually provisioned on this deployment (self-authorized threads). */
  provisioned: ProvisionedIdentity[];
}

/** `capability-lost`: allowed for the human, denied for the identity; `over-privileged`: the reverse. */
export type OutcomeDifferenceKind = 'capability-lost' | 'over-privileged';

/** One replayed audit record whose outcome would differ. */
export interface OutcomeExample {
  kind: OutcomeDifferenceKind;
  seq: number;
  requester: UserId;
  threadId: string;
  action: string;
  resource: string;
  /** What differs: labels (`sales-pipeline:apac`), `tool:<name>` or `document:<id>`. */
  subjects: string[];
}

/** Counts for one identity design (LCD or union), with the first examples by seq. */
export interface DesignOutcomes {
  /** Records where the identity would be denied something the human got. */
  capabilityLost: number;
  /** Records where the identity would get something the human was denied. */
  overPrivileged: number;
  examples: OutcomeExample[];
}

/** Section 2, per thread. */
export interface ThreadOutcomes {
  thread: GovernanceThreadRef;
  lcdGroups: string[];
  unionGroups: string[];
  /** User-mode accesses of this thread that were re-decided. */
  replayed: number;
  lcd: DesignOutcomes;
  union: DesignOutcomes;
}

/** Section 2: requests whose outcome would differ under an agent identity. */
export interface OutcomesSection {
  /** Records re-decided: user-mode `tool.call`, `data.query`, `document.retrieve` with a human requester. */
  replayed: number;
  /** Access records not replayed: self mode (already an agent identity) or a thread that no longer exists. */
  skipped: number;
  lcd: DesignOutcomes;
  union: DesignOutcomes;
  threads: ThreadOutcomes[];
}

/** Audit records by whether they can name a human. */
export interface AuditNamingCounts {
  total: number;
  /** `requester: null`: system actions (seeding). */
  system: number;
  /** Mode `self`: the requester is only a claim next to the agent identity that acted. */
  selfModeClaims: number;
  /** Mode `user` with the agent acting: tied to a human today, only the agent in a self-authorized design. */
  wouldLoseHuman: number;
  /** Without a human as recorded: system + self-mode records. */
  withoutHumanToday: number;
  /** Without a human in a self-authorized design: system + every record the agent made. */
  withoutHumanSelfAuthorized: number;
}

/** Section 3: audit records that could not name a human. */
export interface AuditNamingSection extends AuditNamingCounts {
  byMode: Record<'user' | 'self' | 'direct', number>;
  /** Records with `agent` set, per mode. */
  agentByMode: Record<'user' | 'self' | 'direct', number>;
  threads: Array<{ thread: GovernanceThreadRef } & AuditNamingCounts>;
  /**
   * Records in no listed thread (system actions, sign-ins, threads deleted since): with the
   * `threads` rows they add up to the totals above, so the table and the summary agree.
   */
  outsideThreads: AuditNamingCounts;
}

/** Metric keys of the per-thread plot. */
export type GovernanceMetric =
  | 'identities'
  | 'capabilityLost'
  | 'overPrivileged'
  | 'recordsWithoutHumanSelfAuthorized'
  | 'recordsWithoutHumanToday';

/** Section 4: plot-ready numbers. */
export interface GovernanceSeries {
  /** X axis: one category per thread (its title), aligned with `threadIds` and every `values`. */
  categories: string[];
  threadIds: string[];
  metrics: Array<{ key: GovernanceMetric; label: string; values: number[] }>;
  /** The designs side by side (a grouped bar chart). */
  designs: Array<{
    design: 'user-authorized' | 'self-authorized-lcd' | 'self-authorized-union';
    label: string;
    identities: number;
    capabilityLost: number;
    overPrivileged: number;
    recordsWithoutHuman: number;
  }>;
}

/** The whole report. */
export interface GovernanceReport {
  generatedAt: number;
  deployment: {
    users: number;
    /** Every group some user holds, sorted. */
    groups: string[];
    threads: number;
    /** Tool names of the registry, or null when none was passed. */
    tools: string[] | null;
    auditRecords: number;
    /** Version of the policy set the replay decided with. */
    policyVersion: string;
  };
  /**
   * The report's answer in one plain-language sentence, built from the same figures as the
   * summary (identities, LCD capability lost, union over-privileged, records without a human).
   */
  conclusion: string;
  /** How the numbers are defined, for readers of the plot and the table. */
  definitions: Record<'intent' | 'lcd' | 'union' | 'replay' | 'dataAccess' | 'auditNaming', string>;
  identities: IdentitiesSection;
  outcomes: OutcomesSection;
  audit: AuditNamingSection;
  series: GovernanceSeries;
}
