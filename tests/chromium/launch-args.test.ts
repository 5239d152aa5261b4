import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { chromiumCommandLine, launchArgs } from '../../src/chromium/launch-args.ts';

describe('Chromium’s command line, started before Puppeteer is loaded', () => {
  it('is exactly what puppeteer.launch({ headless: true, pipe: true, userDataDir, args: launchArgs }) runs, so prints keep their bytes', () => {
    // Puppeteer reads these two from the environment; letterpress's own line does not.
    const saved = [process.env.PUPPETEER_TEST_EXPERIMENTAL_CHROME_FEATURES, process.env.PUPPETEER_DANGEROUS_NO_SANDBOX];
    delete process.env.PUPPETEER_TEST_EXPERIMENTAL_CHROME_FEATURES;
    delete process.env.PUPPETEER_DANGEROUS_NO_SANDBOX;
    try {
      const dir = '/tmp/letterpress-chromium-1-abc';
      // defaultArgs() is the line launch() runs, without the pipe flag it adds for `pipe: true` (it edits the array it is given).
      const puppeteers = [...puppeteer.defaultArgs({ headless: true, userDataDir: dir, args: [...launchArgs] }), '--remote-debugging-pipe'];
      expect(chromiumCommandLine(dir)).toEqual(puppeteers);
    } finally {
      if (saved[0] !== undefined) process.env.PUPPETEER_TEST_EXPERIMENTAL_CHROME_FEATURES = saved[0];
      if (saved[1] !== undefined) process.env.PUPPETEER_DANGEROUS_NO_SANDBOX = saved[1];
    }
  });

  it('keeps every one of letterpress’s own flags (the no-network ones above all)', () => {
    const line = chromiumCommandLine('/tmp/p');
    for (const flag of launchArgs.filter((a) => !a.startsWith('--disable-features='))) expect(line).toContain(flag);
    const disabled = line.find((a) => a.startsWith('--disable-features='))?.split('=')[1]?.split(',') ?? [];
    expect(disabled).toEqual(expect.arrayContaining(['OptimizationHints', 'NetworkTimeServiceQuerying', 'CertificateTransparencyComponentUpdater']));
  });
});
