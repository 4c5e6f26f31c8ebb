import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOfflineModel } from '../agent/model/offline-model.ts';
import { createSqliteStore, type SqliteStore } from '../app/bench-stores.ts';
import { buildEngine } from '../app/build-engine.ts';
import { storeEntityResolver } from '../app/store-entity-resolver.ts';
import { createCedarPolicyEngine } from '../policy/cedar-policy-engine.ts';
import type { AuthorizationRequest, PolicyEngine } from '../policy/types.ts';
import { drawRequests, type PopulationSize, seedPopulation } from './scale-population.ts';
import { percentile, round } from './stats.ts';

/** The one-line result of `behalf bench scale --json` (SPEC §10: flat within 1.5× over 100× growth). */
export interface ScaleBenchResult {
  bench: 'scale';
  growth: number;
  /** p50 decision time on the grown deployment ÷ on the base one, memo disabled. */
  ratio_cold: number;
  /** The same with the decision memo on, over a working set already decided once. */
  ratio_warm: number;
  /** p50 decision time on the grown deployment, microseconds (entity loading included). */
  cold_p50_us: number;
  warm_p50_us: number;
}

export interface ScaleBenchOptions {
  /** The base deployment (default 50 users, 20 threads, 100 documents). */
  base?: PopulationSize;
  /** How many times larger the second deployment is in each dimension (default 100). */
  growth?: number;
  /** Timed decisions per deployment and mode (default 8000). */
  samples?: number;
  /** Distinct requests in the warm working set (default 400). */
  workingSet?: number;
  onProgress?: (line: string) => void;
}

type Mode = 'cold' | 'warm';

interface Deployment {
  name: 'base' | 'grown';
  engines: Record<Mode, PolicyEngine>;
  requests: Record<Mode, AuthorizationRequest[]>;
  samples: Record<Mode, number[]>;
  /** Samples by mode and decision kind, for the progress report. */
  byKind: Map<string, number[]>;
}

/** Decisions per block; blocks of the four (deployment, mode) pairs alternate. */
const BLOCK = 100;

/**
 * Decision time as a deployment grows: the decisions the gateway and delivery take (invokeAgent
 * on a thread, useTool, readDocument, readLabel), entities loaded from a SQLite store, on a base
 * deployment and on one `growth` times larger in users, threads and documents, both open in the
 * same process. Cold decisions use an engine with the memo off (`cacheSize: 0`) on fresh random
 * requests; warm ones the engine `buildEngine` wires (memo on) over a working set it has decided
 * once. Blocks of the four pairs rotate so load from other processes lands on all of them.
 */
export async function runScaleBench(options: ScaleBenchOptions = {}): Promise<ScaleBenchResult> {
  const base = options.base ?? { users: 50, threads: 20, documents: 100 };
  const growth = options.growth ?? 100;
  const samples = options.samples ?? 8000;
  const workingSet = options.workingSet ?? 400;
  const progress = options.onProgress ?? (() => {});
  const dirs: string[] = [];
  const stores: SqliteStore[] = [];
  try {
    const deployments: Deployment[] = [];
    for (const [name, factor] of [
      ['base', 1],
      ['grown', growth],
    ] as const) {
      const dir = await mkdtemp(join(tmpdir(), `behalf-bench-scale-${name}-`));
      dirs.push(dir);
      const store = await createSqliteStore({ path: join(dir, 'behalf.db'), exclusive: true });
      stores.push(store);
      const size = { users: base.users * factor, threads: base.threads * factor, documents: base.documents * factor };
      const started = performance.now();
      const population = await seedPopulation(store, size, 3);
      const seconds = round((performance.now() - started) / 1000, 1);
      progress(
        `${name}: ${size.users} users, ${size.threads} threads, ${size.documents} documents (seeded in ${seconds} s)`,
      );
      const app = await buildEngine({ store, model: createOfflineModel() });
      const cold = await createCedarPolicyEngine({
        policies: { ...app.policy.policies() },
        resolver: storeEntityResolver(store, app.registry),
        cacheSize: 0,
        ...(app.policy.labels ? { labels: app.policy.labels } : {}),
      });
      const deployment: Deployment = {
        name,
        engines: { cold, warm: app.policy },
        // One block more than timed: the warm-up block must not pre-load what the timed ones decide.
        requests: { cold: drawRequests(population, samples + BLOCK, 5), warm: drawRequests(population, workingSet, 9) },
        samples: { cold: [], warm: [] },
        byKind: new Map(),
      };
      await checkEnginesAgree(deployment);
      deployments.push(deployment);
    }

    progress('warming up');
    for (const deployment of deployments) {
      for (const mode of ['cold', 'warm'] as const) await timeBlock(deployment, mode, samples, false);
    }
    const pairs = deployments.flatMap((deployment) =>
      (['cold', 'warm'] as const).map((mode) => ({ deployment, mode })),
    );
    const blocks = Math.ceil(samples / BLOCK);
    for (let block = 0; block < blocks; block += 1) {
      for (let turn = 0; turn < pairs.length; turn += 1) {
        const { deployment, mode } = pairs[(block + turn) % pairs.length] as (typeof pairs)[number];
        await timeBlock(deployment, mode, block * BLOCK, true);
      }
      if ((block + 1) % Math.max(1, Math.floor(blocks / 4)) === 0)
        progress(`${(block + 1) * BLOCK} decisions per pair`);
    }
    for (const deployment of deployments) {
      const kinds = [...deployment.byKind].map(([kind, values]) => `${kind} ${round(percentile(values, 50), 1)}`);
      progress(`${deployment.name} p50 µs: ${kinds.join(', ')}`);
    }

    const [small, large] = deployments as [Deployment, Deployment];
    const p50 = (deployment: Deployment, mode: Mode) => percentile(deployment.samples[mode], 50);
    return {
      bench: 'scale',
      growth,
      ratio_cold: round(p50(large, 'cold') / p50(small, 'cold')),
      ratio_warm: round(p50(large, 'warm') / p50(small, 'warm')),
      cold_p50_us: round(p50(large, 'cold'), 1),
      warm_p50_us: round(p50(large, 'warm'), 1),
    };
  } finally {
    for (const store of stores) await store.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Decides the working set with both engines (which also fills the warm memo): they must agree,
 * and every member must be allowed to invoke the agent in their thread — a benchmark timing
 * failed entity loads would measure nothing.
 */
async function checkEnginesAgree(deployment: Deployment): Promise<void> {
  for (const request of deployment.requests.warm) {
    const [warm, cold] = await Promise.all([
      deployment.engines.warm.authorize(request),
      deployment.engines.cold.authorize(request),
    ]);
    if (warm.effect !== cold.effect) throw new Error(`engines disagree on ${JSON.stringify(request)}`);
    if (request.action === 'invokeAgent' && warm.effect !== 'allow')
      throw new Error(`a member was refused: ${warm.reason ?? ''}`);
  }
}

/** Times one block of decisions, one at a time (nothing else on the event loop meanwhile). */
async function timeBlock(deployment: Deployment, mode: Mode, offset: number, record: boolean): Promise<void> {
  const requests = deployment.requests[mode];
  const engine = deployment.engines[mode];
  for (let index = 0; index < BLOCK; index += 1) {
    const request = requests[(offset + index) % requests.length] as AuthorizationRequest;
    const started = performance.now();
    await engine.authorize(request);
    const micros = (performance.now() - started) * 1000;
    if (!record) continue;
    deployment.samples[mode].push(micros);
    const kind = `${mode} ${request.action}`;
    const byKind = deployment.byKind.get(kind) ?? [];
    if (byKind.length === 0) deployment.byKind.set(kind, byKind);
    byKind.push(micros);
  }
}
