import { InterruptedError } from '../errors.ts';

/**
 * Ctrl-C and SIGTERM, for the whole command: the first one aborts the
 * returned signal, which every stage checks before it commits anything (the
 * browser closes itself on the same signals), so the command ends with its
 * clean-up and exit 130. A second one ends the process at once: what was
 * being written is only ever temporaries, which the next run removes.
 */
export function watchInterrupts(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new InterruptedError(`interrupted (${name}): nothing was changed; earlier outputs are as they were`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
