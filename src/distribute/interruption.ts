import { InterruptedError } from '../errors.ts';

/** Ctrl-C or SIGTERM, noted rather than obeyed at once, so the command stops where it can clean up. */
export interface Interruption {
  /** Aborted on the first signal (passed to child processes such as qpdf). */
  signal: AbortSignal;
  /** Throws an InterruptedError once a signal came. */
  check(): void;
  /** Stops listening. */
  dispose(): void;
}

export function watchInterrupts(message: string): Interruption {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new InterruptedError(message));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    check() {
      if (controller.signal.aborted) throw controller.signal.reason;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
