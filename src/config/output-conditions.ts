import path from 'node:path';
import { projectRoot } from '../common/project-root.ts';

/** The profiles letterpress ships (src/postprocess/icc/README.md says how each was made and under what licence). */
const shipped = (file: string): string => path.join(projectRoot, 'src/postprocess/icc', file);

/**
 * The printing conditions a PDF/X file can be made for, as the ICC's registry
 * of characterisation data names them (OutputConditionIdentifier): the printer
 * knows each by that name. Where a profile is given it is embedded as the
 * output intent's profile: US SWOP with Ghostscript's CMYK profile (Debian's
 * ghostscript package), FOGRA39 and GRACoL 2006 with the profiles letterpress
 * ships, made from the freely licensed characterisation data. No licence lets
 * the project ship Japan Color 2001 or GRACoL 2013 (CRPC6) data or profiles:
 * their output intent names the registered condition without a profile, as
 * PDF/X-3 allows for a registered characterisation.
 */
export const outputConditions = {
  'us-swop': {
    identifier: 'CGATS TR001',
    condition: 'Commercial and specialty printing',
    info: 'Ghostscript default CMYK',
    profile: '/usr/share/color/icc/ghostscript/default_cmyk.icc',
  },
  'japan-color-2001-coated': {
    identifier: 'JC200103',
    condition: 'Japan Color 2001 Coated (ISO 12647-2 sheet-fed offset, coated paper)',
    info: 'Japan Color 2001 Coated',
    profile: undefined,
  },
  fogra39: {
    identifier: 'FOGRA39',
    condition: 'Offset printing, according to ISO 12647-2:2004/Amd 1, OFCOM, paper type 1 or 2 = coated art, 115 g/m2, tone value increase curves A (CMY) and B (K)',
    info: 'Coated FOGRA39 (ISO 12647-2:2004)',
    profile: shipped('FOGRA39L.icc'),
  },
  'gracol2006-coated1': {
    identifier: 'CGATS TR 006',
    condition: 'GRACoL printing on grade 1 coated paper, ISO 12647-2 paper type 1 (CGATS TR 006)',
    info: 'GRACoL 2006 Coated #1',
    profile: shipped('CGATS-TR006.icc'),
  },
  'gracol2013-crpc6': {
    identifier: 'CGATS21_CRPC6',
    condition: 'GRACoL 2013 (CGATS21-2-CRPC6), commercial offset on grade 1 coated paper',
    info: 'GRACoL 2013 CRPC6',
    profile: undefined,
  },
} as const satisfies Record<string, { identifier: string; condition: string; info: string; profile: string | undefined }>;

export type OutputCondition = keyof typeof outputConditions;

export const outputConditionNames = Object.keys(outputConditions) as OutputCondition[];

export function isOutputCondition(value: string): value is OutputCondition {
  return Object.hasOwn(outputConditions, value);
}
