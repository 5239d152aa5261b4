import type { Command } from '../command.ts';

/**
 * Every sub-command, in the order --help lists them. Each is imported only
 * when it runs (or for --help): a build does not load the archive's or the
 * distribution's code.
 */
const loaders: Record<string, () => Promise<Command>> = {
  build: () => import('./build.ts').then((m) => m.buildCommand),
  distribute: () => import('./distribute.ts').then((m) => m.distributeCommand),
  archive: () => import('./archive.ts').then((m) => m.archiveCommand),
  verify: () => import('./verify.ts').then((m) => m.verifyCommand),
  diff: () => import('./diff.ts').then((m) => m.diffCommand),
  lint: () => import('./lint.ts').then((m) => m.lintCommand),
  dev: () => import('./dev.ts').then((m) => m.devCommand),
};

export function loadCommand(name: string): Promise<Command> | undefined {
  return Object.hasOwn(loaders, name) ? loaders[name]?.() : undefined;
}

export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(Object.values(loaders).map((load) => load()));
}
