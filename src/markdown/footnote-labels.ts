/** The notes' generated text, in Chinese; "↑" back to the reference, since the bundled fonts have no "↩". */
export const footnoteLabels = {
  footnoteLabel: '注释',
  footnoteBackLabel: (n: number): string => `返回第 ${n + 1} 处引用`,
  footnoteBackContent: '↑',
};
