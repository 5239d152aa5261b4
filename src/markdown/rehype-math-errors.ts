import type { Root } from 'hast';
import type { VFile } from 'vfile';

/**
 * A formula KaTeX cannot read would print as red TeX source: an error of the
 * letter, at the formula's line and column, not a warning, in one line.
 */
export function rehypeMathErrors() {
  return (_tree: Root, file: VFile): void => {
    for (const message of file.messages) {
      if (message.source !== 'rehype-katex') continue;
      message.fatal = true;
      message.source = 'letterpress';
      message.ruleId = 'math-invalid';
      message.reason = `formula cannot be typeset: ${message.cause instanceof Error ? message.cause.message : message.reason}`;
      // The reporter prints `message`, which the constructor copied from the first reason.
      message.message = message.reason;
      // The reason says it all; a cause would have the reporter print KaTeX's stack.
      message.cause = undefined;
      // A block formula's <code> has no place of its own: its <pre> has the block's.
      if (!message.place) {
        const placed = [...(message.ancestors ?? [])].reverse().find((node) => node.position);
        if (placed?.position) {
          message.place = placed.position;
          message.line = placed.position.start.line;
          message.column = placed.position.start.column;
        }
      }
    }
  };
}
