import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { imageSize } from './image-size.ts';
import { limits } from './limits.ts';

/** The image types a letter may use, by file extension. */
export const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

const typeNames: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'image/svg+xml': 'SVG',
};

export function typeName(type: string): string {
  return typeNames[type] ?? type;
}

/** The signatures that open each raster type (a byte of `undefined` matches any byte). */
const signatures: Record<string, (number | undefined)[][]> = {
  'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/gif': [
    [0x47, 0x49, 0x46, 0x38, 0x37, 0x61],
    [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  ],
  'image/webp': [[0x52, 0x49, 0x46, 0x46, undefined, undefined, undefined, undefined, 0x57, 0x45, 0x42, 0x50]],
};

/**
 * Why `bytes` are not a safe image of `type`, or undefined when they are:
 * a raster image must open with its type's signature and be at most
 * `limits.imagePixels` by its header, an SVG must be
 * well-formed XML with an <svg> root and nothing that runs or fetches.
 * The name says what a file claims; only the bytes say what it is.
 */
export function imageProblem(type: string, bytes: Uint8Array): string | undefined {
  if (type === 'image/svg+xml') return svgProblem(bytes);
  const candidates = signatures[type];
  if (!candidates) return `is not a PNG, JPEG, GIF, WebP or SVG image`;
  const matches = candidates.some((signature) => signature.every((byte, i) => byte === undefined || bytes[i] === byte));
  if (!matches) return `is not a ${typeName(type)} image (its bytes do not start as one)`;
  const size = imageSize(type, bytes);
  if (size && size.width * size.height > limits.imagePixels) {
    const mp = Math.round((size.width * size.height) / 1e6);
    return `is ${size.width}×${size.height} pixels (${mp} MP), more than the ${limits.imagePixels / 1e6} MP an image may have: scale it down`;
  }
  return undefined;
}

/** Elements that run code, embed other documents or fetch. */
const forbiddenElements = new Set(['script', 'foreignobject', 'iframe', 'embed', 'object', 'handler', 'listener', 'audio', 'video']);

type XmlNode = Record<string, unknown>;

function svgProblem(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'is not an SVG image (not UTF-8 text)';
  }
  // Entities can expand without bound (and a DOCTYPE can point at outside files): an SVG needs neither.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return 'is an SVG image with a DOCTYPE or entity declaration, which letters may not use';
  let nodes: XmlNode[];
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) return `is not an SVG image: not well-formed XML at ${valid.err.line}:${valid.err.col} (${valid.err.msg})`;
    nodes = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', processEntities: false, allowBooleanAttributes: true, parseTagValue: false, parseAttributeValue: false }).parse(text) as XmlNode[];
  } catch {
    return 'is not an SVG image: its XML cannot be read';
  }
  const root = nodes.find((n) => elementName(n) !== undefined && !elementName(n)?.startsWith('?'));
  if (!root || localName(elementName(root) ?? '') !== 'svg') return 'is not an SVG image (its root element is not <svg>)';
  if (/javascript:|@import|url\(\s*['"]?\s*[^\s'"#)]/i.test(text)) return 'is an SVG image that refers to outside resources (a url(), @import or javascript: link)';
  const stack: XmlNode[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const name = elementName(node);
    if (name === undefined) continue;
    if (forbiddenElements.has(localName(name).toLowerCase())) return `is an SVG image with a <${name}> element, which letters may not use`;
    for (const [attribute, value] of Object.entries((node[':@'] ?? {}) as Record<string, unknown>)) {
      const local = localName(attribute).toLowerCase();
      if (local.startsWith('on')) return `is an SVG image with an event handler (${attribute}), which letters may not use`;
      if (local === 'href' && !String(value).trim().startsWith('#')) return `is an SVG image that links outside itself (${attribute}), which letters may not use`;
    }
    const children = node[name];
    if (Array.isArray(children)) stack.push(...(children as XmlNode[]));
  }
  return undefined;
}

/** The tag name of a preserveOrder node (its one key besides the attributes), or undefined for text and comments. */
function elementName(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && !key.startsWith('#'));
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}
