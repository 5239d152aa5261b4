import { exitCodes, InterruptedError } from '../common/errors.ts';

/**
 * Ctrl-C and SIGTERM, for the whole command: the first one aborts the
 * returned signal, which every stage checks before it commits anything (the
 * browser closes itself on the same signals), so the command ends with its
 * clean-up and exit 130. A second one ends the process at once: what was
 * being written is only ever temporaries, which the next run removes.
 * `stop` aborts it the same way for another reason (the output was closed).
 */
export function watchInterrupts(): { signal: AbortSignal; stop: (reason: InterruptedError) => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(exitCodes.interrupted.code);
    controller.abort(new InterruptedError(`interrupted (${name}): nothing was changed; earlier outputs are as they were`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, stop: (reason) => controller.abort(reason) };
}

/**
 * Standard output or error closed by its reader (`letterpress verify | head -1`):
 * Node reports EPIPE as an error event, which, unhandled, would end the
 * process with a stack trace. Instead nothing more is written to it, and
 * `onClose` stops the command as Ctrl-C would (its clean-up runs); the CLI
 * then ends without a report. Returns whether a stream was closed.
 */
export function watchClosedOutput(onClose: () => void): () => boolean {
  let closed = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => {
      // EPIPE first, then whatever a write to the ended stream reports: the reader is gone either way.
      if (!closed) onClose();
      closed = true;
    });
  }
  return () => closed;
}
