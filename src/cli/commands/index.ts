import type { Command } from '../command.ts';
import { archiveCommand } from './archive.ts';
import { buildCommand } from './build.ts';
import { diffCommand } from './diff.ts';
import { distributeCommand } from './distribute.ts';
import { verifyCommand } from './verify.ts';

/** Every sub-command, in the order --help lists them. */
export const commands: Command[] = [buildCommand, distributeCommand, archiveCommand, verifyCommand, diffCommand];
