import { XMLBuilder } from 'fast-xml-parser';

/** An element as fast-xml-parser's builder takes it: `@_`-prefixed attributes, `#text` for its text. */
type XmlNode = { [name: string]: XmlNode | string };

/** Serialises (and escapes) the packet's elements, one space of indentation per level. */
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: ' ' });

/** Each text field is the Info dictionary's value, when it has one. */
export interface XmpFields {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  language?: string;
  creatorTool?: string;
  producer?: string;
  /** The instant written as Info /CreationDate and /ModDate (whole seconds, UTC). */
  date: Date;
  documentId: string;
  instanceId: string;
  part: 3;
  conformance: 'A' | 'B';
}

const ns = {
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:xmp': 'http://ns.adobe.com/xap/1.0/',
  'xmlns:pdf': 'http://ns.adobe.com/pdf/1.3/',
  'xmlns:xmpMM': 'http://ns.adobe.com/xap/1.0/mm/',
  'xmlns:pdfaid': 'http://www.aiim.org/pdfa/ns/id/',
};

/** XMP dates as the Info dictionary's: UTC, whole seconds (PDF/A 6.6.2.3 asks for equivalent values). */
export function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The document's XMP packet (ISO 16684-1) with the properties PDF/A-3 asks to
 * mirror the Info dictionary (ISO 19005-3 6.6.2.3) and its identification (6.6.4).
 * Only schemas predefined by XMP are used, so no extension schema is needed.
 */
export function xmpPacket(f: XmpFields): string {
  const alt = (text: string): XmlNode => ({ 'rdf:Alt': { 'rdf:li': { '@_xml:lang': 'x-default', '#text': text } } });
  const optional = (name: string, value: string | undefined, make: (v: string) => XmlNode | string): XmlNode => (value === undefined ? {} : { [name]: make(value) });
  const description: XmlNode = {
    '@_rdf:about': '',
    ...Object.fromEntries(Object.entries(ns).map(([name, uri]) => [`@_${name}`, uri])),
    'dc:format': 'application/pdf',
    ...optional('dc:title', f.title, alt),
    ...optional('dc:creator', f.author, (v) => ({ 'rdf:Seq': { 'rdf:li': v } })),
    ...optional('dc:description', f.subject, alt),
    ...optional('dc:language', f.language, (v) => ({ 'rdf:Bag': { 'rdf:li': v } })),
    ...optional('pdf:Keywords', f.keywords, (v) => v),
    ...optional('pdf:Producer', f.producer, (v) => v),
    ...optional('xmp:CreatorTool', f.creatorTool, (v) => v),
    'xmp:CreateDate': xmpDate(f.date),
    'xmp:ModifyDate': xmpDate(f.date),
    'xmp:MetadataDate': xmpDate(f.date),
    'xmpMM:DocumentID': f.documentId,
    'xmpMM:InstanceID': f.instanceId,
    'pdfaid:part': String(f.part),
    'pdfaid:conformance': f.conformance,
  };
  const meta = { 'x:xmpmeta': { '@_xmlns:x': 'adobe:ns:meta/', 'rdf:RDF': { '@_xmlns:rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'rdf:Description': description } } };
  // The packet wrapper without `bytes` or `encoding` attributes (6.6.2.1); "w": the packet may be edited in place.
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n${(builder.build(meta) as string).trimEnd()}\n<?xpacket end="w"?>`;
}
