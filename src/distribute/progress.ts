export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** One more copy is done. */
  tick(): void;
  /** Ends the bar's line (on a terminal). */
  done(): void;
}

/**
 * A bar redrawn in place on a terminal; elsewhere (CI logs, pipes) one line
 * per tenth of the work, since carriage returns would fill a log with bars.
 */
export function progress(stream: ProgressStream, total: number, label: string): Progress {
  let count = 0;
  const every = Math.max(1, Math.ceil(total / 10));
  const draw = (): void => {
    const counter = `${count}/${total} ${label}`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - counter.length - 16));
    const filled = Math.round((width * count) / total);
    stream.write(`\rletterpress [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${counter}`);
  };
  if (stream.isTTY) draw();
  return {
    tick() {
      count++;
      if (stream.isTTY) draw();
      else if (count % every === 0 || count === total) stream.write(`letterpress ${count}/${total} ${label}\n`);
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
