#!/usr/bin/env node
// `npm test`: the type check and the whole suite at once. tsc runs on one core
// beside vitest, whose end-to-end lane waits on Chromium and child processes
// often enough to leave it room; its findings are printed after the suite's.
// Arguments go to vitest. Plain Node, so that it runs the same on every system.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** A package's command, as its package.json names it in `bin`. */
function bin(pkg, name) {
  const manifest = require.resolve(`${pkg}/package.json`);
  return path.join(path.dirname(manifest), require(manifest).bin[name]);
}

/** Runs a package's Node entry point; resolves with its exit code and, when `quiet`, what it printed. */
function run(script, args, quiet) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const typecheck = run(bin('typescript', 'tsc'), ['--noEmit'], true);
const suite = await run(bin('vitest', 'vitest'), ['run', ...process.argv.slice(2)], false);
const types = await typecheck;
if (types.code !== 0) process.stderr.write(`\ntsc --noEmit found type errors:\n${types.output}`);
process.exit(suite.code || types.code);
