// Loaded with `node --import` into a CLI a test spawns (run-cli.ts, `stopAt`): holds the run at the
// commit point LETTERPRESS_TEST_STOP_AT names (src/write/commit-point.ts), tells the test so on the
// socket LETTERPRESS_TEST_STOP_REPORT names, and lets the run go on only after a SIGINT or SIGTERM
// (which the command has handled by then), so that the test interrupts or kills it exactly there.
import { subscribe } from 'node:diagnostics_channel';
import { connect } from 'node:net';
import { isMainThread } from 'node:worker_threads';

const point = process.env.LETTERPRESS_TEST_STOP_AT;
const report = process.env.LETTERPRESS_TEST_STOP_REPORT;

if (point && report && isMainThread) {
  /** @type {Promise<void> | undefined} */
  let held;
  subscribe(`letterpress:${point}`, (message) => {
    held ??= hold();
    /** @type {{ hold?: Promise<void> }} */ (message).hold = held;
  });
}

/** Tells the test where the run is, and holds it there until a signal. */
function hold() {
  const socket = connect(/** @type {string} */ (report));
  socket.on('error', () => undefined);
  socket.end(`${JSON.stringify({ point, pid: process.pid })}\n`);
  return new Promise((resolve) => {
    // A pending promise alone would let the process end: the timer keeps it alive while it is held.
    const alive = setInterval(() => undefined, 60_000);
    const release = () => {
      clearInterval(alive);
      resolve(undefined);
    };
    process.once('SIGINT', release);
    process.once('SIGTERM', release);
  });
}
