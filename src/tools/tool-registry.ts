import type { ToolDefinition, ToolDescriptor, ToolRegistry } from './types.ts';

/** The tools the gateway knows, by name. Registering a name twice is a programming error. */
export class InMemoryToolRegistry implements ToolRegistry {
  private readonly tools = new Map<string, ToolDefinition>();
  private currentVersion = 1;

  constructor(tools: readonly ToolDefinition[] = []) {
    for (const tool of tools) this.register(tool);
  }

  get version(): number {
    return this.currentVersion;
  }

  get(name: string): ToolDefinition | undefined {
    return this.tools.get(name);
  }

  list(): ToolDefinition[] {
    return [...this.tools.values()];
  }

  describe(): ToolDescriptor[] {
    return this.list().map(({ name, description, inputSchema, effect }) => ({
      name,
      description,
      inputSchema,
      effect,
    }));
  }

  register(tool: ToolDefinition): void {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(tool.name)) throw new Error(`Invalid tool name: ${tool.name}`);
    if (this.tools.has(tool.name)) throw new Error(`Tool already registered: ${tool.name}`);
    this.tools.set(tool.name, tool as ToolDefinition);
    this.currentVersion += 1;
  }
}
