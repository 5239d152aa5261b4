export const bundleDir: string;
export function ensureCliBundle(): Promise<string>;
