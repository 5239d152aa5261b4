import { readFileSync } from 'node:fs';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
const [a, b] = process.argv.slice(2).map((f) => PNG.sync.read(readFileSync(f)));
console.log(pixelmatch(a.data, b.data, null, a.width, a.height, { threshold: 0.1 }) / (a.width * a.height));
