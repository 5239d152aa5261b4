import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import type { Nodes, Root, RootContent } from 'mdast';
import { markdownReader } from '../../src/markdown/markdown-syntax.ts';
import { projectRoot } from '../support/run-cli.ts';

/**
 * A letter's text set by Typst on the letter's page: the same text face
 * (Noto Serif SC, its Latin from Noto Serif), size (10.5 pt), measure (A4 less
 * 22 mm margins), line pitch (1.8) and paragraph spacing, headings in Noto
 * Sans SC bold, lists indented as letterpress indents them. It is the anchor
 * the typesetting report measures letterpress against; tables, code and
 * formulas are left out (their lines are not measured).
 */
const preamble = `
#set page(paper: "a4", margin: (top: 25mm, bottom: 24mm, x: 22mm))
#set text(font: ("Noto Serif SC",), size: 10.5pt, lang: "zh", region: "cn", top-edge: 0.88em, bottom-edge: -0.12em)
#set par(justify: true, leading: 0.8em, spacing: 0.7em)
#show heading: set text(font: ("Noto Sans SC",), weight: "bold", size: 11.5pt)
#show heading: set block(above: 1.4em, below: 0.8em)
#set enum(numbering: "1)", indent: 0em, body-indent: 1.2em)
#set list(indent: 0.6em, body-indent: 1em)
`;

const fontDirs = ['noto-serif-sc', 'noto-sans-sc', 'noto-serif'].map((name) => path.join(projectRoot, 'node_modules/@expo-google-fonts', name));

function text(node: Nodes): string {
  if (node.type === 'footnoteReference') return '';
  if ('value' in node && node.type !== 'yaml') return node.value.replace(/\n/g, ' ');
  return 'children' in node ? node.children.map((child) => text(child as Nodes)).join('') : '';
}

/** A Typst string literal: the text as it is, no markup. */
const literal = (value: string): string => `#${JSON.stringify(value)}`;

function block(node: RootContent): string {
  switch (node.type) {
    case 'heading':
      return `#heading(level: ${node.depth})[${literal(text(node))}]`;
    case 'paragraph':
      return literal(text(node));
    case 'blockquote':
      return `#pad(left: 1.2em)[${node.children.map(block).join('\n\n')}]`;
    case 'list':
      return node.children
        .map((item, i) => {
          const body = item.children.map(block).join('\n\n');
          return node.ordered ? `#enum.item(${(node.start ?? 1) + i})[${body}]` : `#list.item[${body}]`;
        })
        .join('\n');
    case 'footnoteDefinition':
      return `#text(size: 9pt)[${node.children.map(block).join('\n\n')}]`;
    default:
      return '';
  }
}

export async function typstSource(letter: string): Promise<string> {
  const tree = markdownReader().parse(await readFile(letter, 'utf8')) as Root;
  return preamble + tree.children.map(block).filter(Boolean).join('\n\n');
}

/** The PDF Typst makes of a letter. */
export async function typstPdf(letter: string): Promise<Buffer> {
  const compiler = NodeCompiler.create({ workspace: projectRoot, fontArgs: [{ fontPaths: fontDirs }] });
  const result = compiler.compile({ mainFileContent: await typstSource(letter) });
  const doc = result.result;
  if (!doc) throw new Error(`Typst: ${JSON.stringify(result.takeDiagnostics()?.shortDiagnostics ?? 'failed')}`);
  return compiler.pdf(doc);
}
