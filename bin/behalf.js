#!/usr/bin/env node
// Entry point for `npx behalf`: loads the TypeScript sources through tsx so a clone works
// right after `npm install`, with no build step and no stale build output.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
