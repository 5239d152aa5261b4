import type { Command } from '../command.ts';
import { buildCommand } from './build.ts';

/** Every sub-command, in the order --help lists them. */
export const commands: Command[] = [buildCommand];
