#!/usr/bin/env node
// The CLI is TypeScript run directly (tsx compiles on load), so the code in the repository is the
// code that runs: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
