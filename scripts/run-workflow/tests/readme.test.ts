import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOUBLES } from '../src/doubles/index.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8');

describe('README', () => {
  it.each(DOUBLES.map((d) => d.action))('lists the double of %s in its table', (action) => {
    expect(readme).toContain(`| \`${action}\` |`);
  });
});
