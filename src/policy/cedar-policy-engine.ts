import { createHash } from 'node:crypto';
import { preparsePolicySet, preparseSchema, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { AppError } from '../protocol/errors.ts';
import { failClosed, interpretAnswer } from './cedar-decision.ts';
import { loadPrincipal, loadResource } from './cedar-entities.ts';
import { DecisionCache } from './decision-cache.ts';
import { readDefaultSchema } from './default-schema.ts';
import type { LabelCatalogue } from './label-catalogue.ts';
import { checkPolicySet, checkSchema, formatProblems, type PolicyFacts } from './policy-set.ts';
import type { AuthorizationRequest, Decision, EntityResolver, PolicyEngine } from './types.ts';
import { loadDefaultLabelCatalogue } from './workspace-policies.ts';

/** Options of {@link createCedarPolicyEngine}. */
export interface CedarPolicyEngineOptions {
  /** Policies keyed by their `@id` (see `loadPolicyDirectory`); the keys are the ids in decisions. */
  policies: Record<string, string>;
  /** Loads users, threads, documents, tools and messages at decision time. */
  resolver: EntityResolver;
  /** Cedar schema text; defaults to `schema.cedarschema` beside this module. */
  schema?: string;
  /**
   * The workspace's label catalogue, from which Label entities are built (`loadWorkspacePolicySet`
   * gives it with the policies). Default: the default workspace's.
   */
  labels?: LabelCatalogue;
  /** Memoized decisions kept (least recently used evicted); 0 disables memoization. Default 10 000. */
  cacheSize?: number;
  /**
   * Told about unexpected failures (a resolver that throws). The decision is a deny whose reason
   * stays generic, since an error message may hold details not meant for users or audit.
   */
  onError?: (error: unknown, request: AuthorizationRequest) => void;
}

/** The policy set in force: what a decision reads synchronously, right before calling Cedar. */
interface PolicyState {
  version: string;
  policies: Readonly<Record<string, string>>;
  facts: ReadonlyMap<string, PolicyFacts>;
}

/**
 * Creates the Cedar policy decision point. The schema and policies are parsed once per version
 * (Cedar's pre-parsed, stateful API) and decisions are memoized by policy version and the
 * versions of the entities involved. Refuses an invalid initial set with `policy_invalid`.
 */
export async function createCedarPolicyEngine(options: CedarPolicyEngineOptions): Promise<PolicyEngine> {
  const schema = options.schema ?? (await readDefaultSchema());
  const schemaProblems = checkSchema(schema);
  if (schemaProblems.length > 0) throw new AppError('policy_invalid', formatProblems(schemaProblems));
  // Cedar keeps pre-parsed sets in one process-wide table that never frees entries: names are
  // content-addressed (schema, and each policy set), so engines over the same texts share one
  // entry and memory grows with the number of distinct policy sets, not of engines.
  const schemaName = `behalf-schema-${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
  const schemaAnswer = preparseSchema(schemaName, schema);
  if (schemaAnswer.type === 'failure') {
    throw new AppError('policy_invalid', `schema: ${schemaAnswer.errors.map((error) => error.message).join('; ')}`);
  }
  const labels = options.labels ?? (await loadDefaultLabelCatalogue());
  const engine = new CedarPolicyEngine(options, schema, schemaName, labels);
  await engine.update(options.policies);
  return engine;
}

class CedarPolicyEngine implements PolicyEngine {
  readonly #resolver: EntityResolver;
  readonly #cache: DecisionCache;
  readonly #onError: CedarPolicyEngineOptions['onError'];
  #state: PolicyState = { version: 'none', policies: Object.freeze({}), facts: new Map() };
  #policySetId = '';
  #updates = 0;

  constructor(
    options: CedarPolicyEngineOptions,
    private readonly schema: string,
    private readonly schemaName: string,
    readonly labels: LabelCatalogue,
  ) {
    this.#resolver = options.resolver;
    this.#cache = new DecisionCache(options.cacheSize ?? 10_000);
    this.#onError = options.onError;
  }

  get version(): string {
    return this.#state.version;
  }

  policies(): Readonly<Record<string, string>> {
    return this.#state.policies;
  }

  async update(policies: Record<string, string>): Promise<void> {
    const snapshot = Object.freeze({ ...policies });
    const checked = checkPolicySet(snapshot, this.schema);
    if ('problems' in checked) {
      throw new AppError('policy_invalid', `Policy set refused: ${formatProblems(checked.problems)}`, {
        problems: checked.problems.map((problem) => ({ ...problem })),
      });
    }
    const digest = createHash('sha256')
      .update(JSON.stringify(Object.entries(snapshot).sort()))
      .digest('hex');
    const policySetId = `behalf-policies-${this.schemaName}-${digest}`;
    // Side-effect free on failure, so the old set stays in force if Cedar refuses it here.
    const answer = preparsePolicySet(policySetId, { staticPolicies: { ...snapshot } });
    if (answer.type === 'failure') {
      throw new AppError('policy_invalid', `Policy set refused: ${answer.errors.map((e) => e.message).join('; ')}`);
    }
    this.#updates += 1;
    this.#policySetId = policySetId;
    this.#state = { version: `${this.#updates}-${digest.slice(0, 12)}`, policies: snapshot, facts: checked.facts };
    // Old entries can never hit again (their keys hold the old version); drop them to free memory.
    this.#cache.clear();
  }

  authorizeMany(requests: readonly AuthorizationRequest[]): Promise<Decision[]> {
    return Promise.all(requests.map((request) => this.authorize(request)));
  }

  async authorize(request: AuthorizationRequest): Promise<Decision> {
    try {
      return await this.#decide(request);
    } catch (error) {
      try {
        this.#onError?.(error, request);
      } catch {
        // A failing error hook must not turn a deny into a throw.
      }
      return failClosed('Authorization failed unexpectedly; denied (fail closed)');
    }
  }

  async #decide(request: AuthorizationRequest): Promise<Decision> {
    const [principal, resource] = await Promise.all([
      loadPrincipal(this.#resolver, request.principal),
      loadResource(this.#resolver, request.resource, this.labels),
    ]);
    if ('missing' in principal) return failClosed(principal.missing);
    if ('missing' in resource) return failClosed(resource.missing);

    const context: Record<string, string | boolean> = {
      viaAgent: request.context?.viaAgent === true,
      mode: request.context?.mode ?? (request.principal.type === 'Agent' ? 'self' : 'user'),
    };
    if (request.context?.threadId !== undefined) context.threadId = request.context.threadId;

    // From here to Cedar's answer everything is synchronous, so the policy version in the key is
    // the one Cedar evaluates even if an update lands while entities were loading.
    const state = this.#state;
    const key = JSON.stringify([
      state.version,
      request.action,
      principal.uid.type,
      principal.uid.id,
      principal.version,
      resource.uid.type,
      resource.uid.id,
      resource.version,
      context.viaAgent,
      context.mode,
      context.threadId ?? null,
    ]);
    const memo = this.#cache.get(key);
    if (memo) return copyOf(memo);

    const answer = statefulIsAuthorized({
      principal: principal.uid,
      action: { type: 'Action', id: request.action },
      resource: resource.uid,
      context,
      entities: [...principal.entities, ...resource.entities],
      preparsedSchemaName: this.schemaName,
      preparsedPolicySetId: this.#policySetId,
      validateRequest: true,
    });
    const { decision, cacheable } = interpretAnswer(answer, state.facts, {
      principal: principal.name,
      action: request.action,
      resource: resource.name,
    });
    if (cacheable) this.#cache.set(key, decision);
    return copyOf(decision);
  }
}

/** Callers get their own copy, so nobody can edit a memoized decision. */
function copyOf(decision: Decision): Decision {
  return { ...decision, policies: [...decision.policies] };
}
