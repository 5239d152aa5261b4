export function bundle(entries: string[], outdir: string): Promise<void>;
