import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputSchemaFromJsonSchema } from './json-schema-input.ts';

function convert(jsonSchema: unknown): z.ZodType {
  const result = inputSchemaFromJsonSchema(jsonSchema);
  if (!result.ok) throw new Error(result.reason);
  return result.schema;
}

describe('MCP input schema → strict zod', () => {
  it('converts the schemas the SDK emits for a zod shape, with types, bounds, enums and defaults', () => {
    const schema = convert({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        id: { type: 'string', minLength: 1, description: 'customer id' },
        limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
        region: { type: 'string', enum: ['emea', 'apac'] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
      },
      required: ['id'],
      additionalProperties: false,
    });
    expect(schema.parse({ id: 'c-1' })).toEqual({ id: 'c-1', limit: 10 });
    for (const bad of [{}, { id: '' }, { id: 'c', limit: 0 }, { id: 'c', region: 'mars' }, { id: 'c', tags: [1] }]) {
      expect(schema.safeParse(bad).success).toBe(false);
    }
  });

  it('refuses unknown keys even when the server left additionalProperties open, at every level', () => {
    const schema = convert({
      type: 'object',
      properties: {
        filter: { type: 'object', properties: { region: { type: 'string' } }, additionalProperties: true },
        rows: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
        either: { anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'string' }] },
      },
    });
    expect(schema.safeParse({ filter: { region: 'emea' }, rows: [{ id: 'x' }], either: { a: 'y' } }).success).toBe(
      true,
    );
    for (const smuggled of [
      { user: 'alice' },
      { filter: { region: 'emea', user: 'alice' } },
      { rows: [{ id: 'x', owner: 'alice' }] },
      { either: { a: 'y', sub: 'alice' } },
    ]) {
      expect(schema.safeParse(smuggled).success).toBe(false);
    }
  });

  it('closes a root that declares a map of extra keys, but keeps maps nested inside', () => {
    const schema = convert({
      type: 'object',
      properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } },
      additionalProperties: { type: 'string' },
    });
    expect(schema.safeParse({ labels: { team: 'sales' } }).success).toBe(true);
    expect(schema.safeParse({ labels: { team: 1 } }).success).toBe(false);
    expect(schema.safeParse({ user: 'alice' }).success).toBe(false);
  });

  it('handles a tool without arguments and local $refs', () => {
    expect(convert({ type: 'object' }).safeParse({}).success).toBe(true);
    expect(convert({ type: 'object' }).safeParse({ user: 'alice' }).success).toBe(false);
    const withRef = convert({
      type: 'object',
      properties: { owner: { $ref: '#/$defs/person' } },
      $defs: { person: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
    });
    expect(withRef.safeParse({ owner: { id: 'bob' } }).success).toBe(true);
    expect(withRef.safeParse({ owner: { id: 'bob', admin: true } }).success).toBe(false);
  });

  it('round-trips to JSON Schema for the model, still closed', () => {
    const schema = convert({ type: 'object', properties: { q: { type: 'string' } } });
    expect(z.toJSONSchema(schema, { io: 'input' })).toMatchObject({
      type: 'object',
      properties: { q: { type: 'string' } },
      additionalProperties: false,
    });
  });

  it.each([
    [{ type: 'string' }, /not an object schema/],
    [null, /not an object schema/],
    [{ type: 'object', properties: { a: { allOf: [{ type: 'string' }] } } }, /"allOf" at \/properties\/a/],
    [{ type: 'object', patternProperties: { '^x': { type: 'string' } } }, /"patternProperties"/],
    [{ type: 'object', if: { type: 'object' } }, /"if"/],
    [{ type: 'object', properties: { a: { not: { type: 'string' } } } }, /"not"/],
    [{ type: 'object', properties: { a: { $ref: 'https://evil.test/schema.json' } } }, /cannot be converted/],
    [{ type: 'object', properties: { a: 42 } }, /invalid subschema/],
  ])('refuses what it cannot enforce faithfully (%#)', (jsonSchema, reason) => {
    const result = inputSchemaFromJsonSchema(jsonSchema);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('refuses absurdly deep schemas', () => {
    let node: Record<string, unknown> = { type: 'string' };
    for (let depth = 0; depth < 40; depth++) node = { type: 'object', properties: { next: node } };
    expect(inputSchemaFromJsonSchema(node)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/too large or too deep/),
    });
  });

  it('ignores vendor extensions', () => {
    expect(
      convert({ type: 'object', 'x-internal': true, properties: { a: { type: 'string', 'x-hint': 1 } } }).safeParse({
        a: 'b',
      }).success,
    ).toBe(true);
  });
});
