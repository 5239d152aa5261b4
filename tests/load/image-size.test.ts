import { describe, expect, it } from 'vitest';
import { imageSize } from '../../src/load/image-size.ts';
import { imageProblem } from '../../src/load/image-type.ts';

// A 1×1 PNG, and the same with its header claiming other dimensions.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
function pngClaiming(width: number, height: number): Buffer {
  const bytes = Buffer.from(png);
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

/** A baseline JPEG's opening: SOI, an APP0 segment, then SOF0 with its height and width. */
function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]);
}

describe('image dimensions from the header', () => {
  it('reads PNG, JPEG, GIF and WebP headers without decoding', () => {
    expect(imageSize('image/png', png)).toEqual({ width: 1, height: 1 });
    expect(imageSize('image/png', pngClaiming(30000, 30000))).toEqual({ width: 30000, height: 30000 });
    expect(imageSize('image/jpeg', jpeg(4000, 3000))).toEqual({ width: 4000, height: 3000 });
    const gif = Buffer.from([...Buffer.from('GIF89a'), 0x10, 0x27, 0x20, 0x4e]);
    expect(imageSize('image/gif', gif)).toEqual({ width: 10000, height: 20000 });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0);
    webp.write('WEBPVP8X', 8);
    webp.writeUIntLE(9999, 24, 3);
    webp.writeUIntLE(8999, 27, 3);
    expect(imageSize('image/webp', webp)).toEqual({ width: 10000, height: 9000 });
  });

  it('refuses more than 50 million pixels, and takes 50 million', () => {
    expect(imageProblem('image/png', pngClaiming(30000, 30000))).toBe('is 30000×30000 pixels (900 MP), more than the 50 MP an image may have: scale it down');
    expect(imageProblem('image/jpeg', jpeg(10000, 5001))).toMatch(/10000×5001 pixels/);
    expect(imageProblem('image/png', pngClaiming(10000, 5000))).toBeUndefined();
    expect(imageProblem('image/jpeg', jpeg(8000, 6000))).toBeUndefined();
  });
});
