import type { Root } from 'hast';
import type { VFile } from 'vfile';

/**
 * A formula KaTeX cannot read would print as red TeX source: an error of the
 * letter, at the formula's line and column, not a warning.
 */
export function rehypeMathErrors() {
  return (_tree: Root, file: VFile): void => {
    for (const message of file.messages) {
      if (message.source !== 'rehype-katex') continue;
      message.fatal = true;
      message.source = 'letterpress';
      message.ruleId = 'math-invalid';
      message.reason = `formula cannot be typeset: ${message.cause instanceof Error ? message.cause.message : message.reason}`;
    }
  };
}
