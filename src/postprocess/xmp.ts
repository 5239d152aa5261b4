/** An XML element as a tree: serialised (and escaped) in one place. */
export interface XmlElement {
  name: string;
  attributes?: Record<string, string>;
  children?: (XmlElement | string)[];
}

export function x(name: string, attributes: Record<string, string> | undefined, ...children: (XmlElement | string)[]): XmlElement {
  return { name, attributes, children };
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => escapes[c] ?? c);
}

export function toXml(node: XmlElement | string, indent = ''): string {
  if (typeof node === 'string') return escapeXml(node);
  const attrs = Object.entries(node.attributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const children = node.children ?? [];
  if (children.length === 0) return `${indent}<${node.name}${attrs}/>`;
  if (children.every((c) => typeof c === 'string')) return `${indent}<${node.name}${attrs}>${children.map((c) => toXml(c)).join('')}</${node.name}>`;
  const inner = children.map((c) => (typeof c === 'string' ? indent + ' ' + toXml(c) : toXml(c, `${indent} `))).join('\n');
  return `${indent}<${node.name}${attrs}>\n${inner}\n${indent}</${node.name}>`;
}

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
  const alt = (text: string): XmlElement => x('rdf:Alt', undefined, x('rdf:li', { 'xml:lang': 'x-default' }, text));
  const optional = (value: string | undefined, make: (v: string) => XmlElement): XmlElement[] => (value === undefined ? [] : [make(value)]);
  const description = x(
    'rdf:Description',
    { 'rdf:about': '', ...ns },
    x('dc:format', undefined, 'application/pdf'),
    ...optional(f.title, (v) => x('dc:title', undefined, alt(v))),
    ...optional(f.author, (v) => x('dc:creator', undefined, x('rdf:Seq', undefined, x('rdf:li', undefined, v)))),
    ...optional(f.subject, (v) => x('dc:description', undefined, alt(v))),
    ...optional(f.language, (v) => x('dc:language', undefined, x('rdf:Bag', undefined, x('rdf:li', undefined, v)))),
    ...optional(f.keywords, (v) => x('pdf:Keywords', undefined, v)),
    ...optional(f.producer, (v) => x('pdf:Producer', undefined, v)),
    ...optional(f.creatorTool, (v) => x('xmp:CreatorTool', undefined, v)),
    x('xmp:CreateDate', undefined, xmpDate(f.date)),
    x('xmp:ModifyDate', undefined, xmpDate(f.date)),
    x('xmp:MetadataDate', undefined, xmpDate(f.date)),
    x('xmpMM:DocumentID', undefined, f.documentId),
    x('xmpMM:InstanceID', undefined, f.instanceId),
    x('pdfaid:part', undefined, String(f.part)),
    x('pdfaid:conformance', undefined, f.conformance),
  );
  const meta = x('x:xmpmeta', { 'xmlns:x': 'adobe:ns:meta/' }, x('rdf:RDF', { 'xmlns:rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#' }, description));
  // The packet wrapper without `bytes` or `encoding` attributes (6.6.2.1); "w": the packet may be edited in place.
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n${toXml(meta)}\n<?xpacket end="w"?>`;
}
