/**
 * A CSS string literal that holds exactly `value` and cannot end early: every
 * character that could close the string, the declaration or the <style>
 * element around it (quotes, backslash, `<`, `>`, `&`), every CSS newline
 * (LF, CR, FF) and every other control or line-separator character is
 * written as a hex escape. The space after each escape ends it (CSS Syntax
 * §4.3.7) and is not part of the string. NUL cannot be held by CSS at all:
 * it becomes U+FFFD, as a CSS parser would read it.
 */
export function cssString(value: string): string {
  const escaped = value.replace(/[\0-\x1f\x7f-\x9f"'\\<>&\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return `\\${(code === 0 ? 0xfffd : code).toString(16)} `;
  });
  return `"${escaped}"`;
}
