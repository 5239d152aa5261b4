/**
 * What a reader who opened an encrypted copy with its password may do (PDF
 * 32000-2, 7.6.4.2, table 22). Viewers enforce these; a program that ignores
 * them can still do everything once the copy is open (see docs/distribution.md).
 */
export const permissionNames = ['print', 'print-low', 'copy', 'annotate', 'fill', 'assemble', 'modify'] as const;
export type Permission = (typeof permissionNames)[number];

/** The default: print at full resolution; no copying of text, annotating, form filling, assembling or changing. */
export const defaultPermissions: readonly Permission[] = ['print'];
