#!/usr/bin/env node
// The installed `letterpress` command: the bundled CLI, rebuilt first when src/ changed
// (as `npm run build` does), so `npx letterpress` is as fast as the npm scripts.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCliBundle } from '../setup/cli-bundle.mjs';

await import(pathToFileURL(path.join(await ensureCliBundle(), 'main.mjs')).href);
