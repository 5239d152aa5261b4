import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { xmpPacket } from '../../src/postprocess/xmp.ts';

const fields = {
  title: `拾象 & <合伙人> "信" it's`,
  author: 'A > B',
  subject: '回顾',
  keywords: '年度信, 展望',
  language: 'zh-CN',
  creatorTool: 'letterpress',
  producer: 'letterpress',
  date: new Date(Date.UTC(2023, 11, 1, 8, 30, 5, 250)),
  documentId: 'uuid:0001',
  instanceId: 'uuid:0002',
  part: 3 as const,
  conformance: 'B' as const,
};

/** The node at `path` in a parsed XML tree. */
function at(node: unknown, ...path: string[]): unknown {
  return path.reduce((n, key) => (n as Record<string, unknown>)[key], node);
}

describe('the XMP packet', () => {
  it('reads back, by an XML parser, as the Info values it mirrors, the text escaped', () => {
    const packet = xmpPacket(fields);
    expect(packet.startsWith('<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">\n')).toBe(true);
    expect(packet.endsWith('</x:xmpmeta>\n<?xpacket end="w"?>')).toBe(true);
    const read: unknown = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false }).parse(packet);
    const field = (...path: string[]): unknown => at(read, 'x:xmpmeta', 'rdf:RDF', 'rdf:Description', ...path);
    expect(field('dc:title', 'rdf:Alt', 'rdf:li')).toEqual({ '#text': fields.title, '@_xml:lang': 'x-default' });
    expect(field('dc:creator', 'rdf:Seq', 'rdf:li')).toBe(fields.author);
    expect(field('dc:description', 'rdf:Alt', 'rdf:li', '#text')).toBe(fields.subject);
    expect(field('dc:language', 'rdf:Bag', 'rdf:li')).toBe('zh-CN');
    expect(field('pdf:Keywords')).toBe(fields.keywords);
    expect(field('xmp:CreateDate')).toBe('2023-12-01T08:30:05Z');
    expect(field('xmpMM:DocumentID')).toBe('uuid:0001');
    expect(field('pdfaid:part')).toBe('3');
    expect(field('pdfaid:conformance')).toBe('B');
  });

  it('leaves out the fields the Info dictionary does not have', () => {
    const packet = xmpPacket({ date: fields.date, documentId: 'd', instanceId: 'i', part: 3, conformance: 'A' });
    expect(packet).not.toContain('dc:title');
    expect(packet).not.toContain('dc:creator');
    expect(packet).toContain('<pdfaid:conformance>A</pdfaid:conformance>');
  });
});
