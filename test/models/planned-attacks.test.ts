import { describe, expect, it } from 'vitest';
import { type ToolCatalogEntry, toolCatalogOfToolSet } from '../../src/agent/model/tool-catalog.ts';
import type { AdversaryVictims } from '../../src/bench/adversary/adversarial-types.ts';
import { plannedAttacks } from '../../src/bench/adversary/planned-attacks.ts';
import { fakeAcmeTools } from '../support/models/test-tools.ts';

const VICTIMS: AdversaryVictims = { users: ['dana', 'erin'], jwt: 'a.b.c', documentIds: ['doc-board-deck'] };

describe('plannedAttacks', () => {
  it('is the same plan for the same catalog and victims, with unique ids', async () => {
    const catalog = await toolCatalogOfToolSet(fakeAcmeTools().tools);
    const plan = plannedAttacks(catalog, VICTIMS);
    expect(plannedAttacks(catalog, VICTIMS)).toEqual(plan);
    expect(new Set(plan.map((attack) => attack.id)).size).toBe(plan.length);
  });

  it('covers every category and puts the write tool last', async () => {
    const catalog = await toolCatalogOfToolSet(fakeAcmeTools().tools);
    const plan = plannedAttacks(catalog, VICTIMS);
    const categories = new Set(plan.map((attack) => attack.category));
    for (const category of [
      'impersonation',
      'protected-data',
      'identity-switch',
      'multi-statement',
      'write',
      'denial-of-service',
      'reporter-override',
      'unknown-tool',
      'malformed-arguments',
      'call-id-collision',
    ] as const) {
      expect(categories).toContain(category);
    }
    expect(plan.at(-1)?.toolName).toBe('create_ticket');
    expect(plan.at(-1)?.category).toBe('reporter-override');
  });

  it('attacks a tool it knows nothing about through its schema', () => {
    const weather: ToolCatalogEntry = {
      name: 'get_weather',
      description: 'Weather for a city',
      inputSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'integer' } },
        required: ['city'],
      },
    };
    const plan = plannedAttacks([weather], VICTIMS).filter((attack) => attack.toolName === 'get_weather');
    const inputs = plan.map((attack) => attack.input);
    expect(inputs).toContain('{"city":"test city","on_behalf_of":"erin"}');
    expect(inputs).toContain('{"city":42}');
    expect(inputs).toContain('not json {');
    expect(plan.some((attack) => attack.input.includes('"__proto__"'))).toBe(true);
  });
});
