import { checkSetup, SetupIncompleteError } from '../../doctor/check-setup.ts';
import { UsageError } from '../../common/errors.ts';
import type { CommandContext, ParsedArgs } from '../command.ts';

export async function run({ positionals }: ParsedArgs, { cwd, print }: CommandContext): Promise<void> {
  if (positionals.length > 0) throw new UsageError('doctor takes no arguments');
  const checks = await checkSetup(cwd);
  for (const check of checks) {
    print(`${(check.ok ? 'ok' : 'missing').padEnd(9)}${check.name.padEnd(13)}${check.detail}\n`);
    if (check.fix) print(`${''.padEnd(22)}fix: ${check.fix}\n`);
  }
  const missing = checks.filter((c) => !c.ok).length;
  if (missing > 0) throw new SetupIncompleteError(`${missing} missing: run the fix shown under each`);
  print('letterpress is ready: every check passed\n');
}
