import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { limits } from '../load/limits.ts';

/** Commands KaTeX drops without `trust` (no links, images or HTML attributes from a letter): they would print as red TeX. */
const untrusted = /\\(href|url|includegraphics|htmlClass|htmlId|htmlStyle|htmlData)(?![a-zA-Z])/;
/** Commands whose argument is set as text, where Chinese belongs in a formula. */
const textCommands = /^\\(text|textrm|textsf|texttt|textbf|textit|textnormal|textup|textmd|hbox)$/;
const han = /\p{Script=Han}/u;

/**
 * What a formula may hold, checked before KaTeX sees it, at the formula's
 * place: nesting within the limit (deeper, KaTeX's markup overflows the stack
 * when the page is written), no command that only trust would allow (errors),
 * and Chinese only inside `\text{…}` (a warning: KaTeX would set it in a math
 * font's fallback, spaced as symbols). A refused formula is left out.
 */
export function remarkFormulaChecks() {
  return (tree: Root, file: VFile): void => {
    visit(tree, (node, index, parent) => {
      if (node.type !== 'math' && node.type !== 'inlineMath') return;
      const problem = refusal(node);
      if (problem) {
        const message = file.message(problem, { place: node.position, ruleId: 'math-refused', source: 'letterpress' });
        message.fatal = true;
        if (parent && index !== undefined) parent.children.splice(index, 1);
        return index;
      }
      if (hanOutsideText(node.value)) {
        file.message('Chinese text inside a formula: wrap it in `\\text{…}` so it is set as text', { place: node.position, ruleId: 'math-chinese', source: 'letterpress' });
      }
    });
  };
}

function refusal(node: { value: string }): string | undefined {
  const command = untrusted.exec(node.value)?.[1];
  if (command) return `\`\\${command}\` is not allowed in a formula (it would print as red TeX): put links and images outside it, in Markdown`;
  const depth = nesting(node.value);
  if (depth > limits.formulaNesting) return `formula nested ${depth} levels deep, more than the limit of ${limits.formulaNesting}: simplify it`;
  return undefined;
}

/** The deepest nesting of `{…}` groups and `\left…\right` pairs (escaped braces `\{ \}` are characters, not groups). */
function nesting(tex: string): number {
  let depth = 0;
  let deepest = 0;
  for (const [token] of tex.matchAll(/\\[{}]|\\left(?![a-zA-Z])|\\right(?![a-zA-Z])|[{}]/g)) {
    if (token === '{' || token === '\\left') deepest = Math.max(deepest, ++depth);
    else if (token === '}' || token === '\\right') depth = Math.max(0, depth - 1);
  }
  return deepest;
}

/** Whether a Han character stands outside every text command's argument. */
function hanOutsideText(tex: string): boolean {
  if (!han.test(tex)) return false;
  // Each open group: whether it is a text command's argument.
  const groups: boolean[] = [];
  let pendingText = false;
  for (const [token] of tex.matchAll(/\\[a-zA-Z]+|\\.|[{}]|[^\\{}]/gsu)) {
    if (token === '{') {
      groups.push(pendingText || groups.at(-1) === true);
      pendingText = false;
    } else if (token === '}') groups.pop();
    else if (token.startsWith('\\')) pendingText = textCommands.test(token);
    else if (han.test(token) && groups.at(-1) !== true) return true;
    else if (!/\s/.test(token)) pendingText = false;
  }
  return false;
}
