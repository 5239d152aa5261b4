import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

describe('letterpress doctor', () => {
  it('finds everything on a machine set up by npm run build: one line each, exit 0', async () => {
    const result = await runCli(['doctor']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const name of ['browser', 'qpdf', 'Ghostscript', 'fonts', 'cache', 'output']) expect(result.stdout).toMatch(new RegExp(`^ok\\s+${name}\\s`, 'm'));
    expect(result.stdout).toContain('letterpress is ready');
  });

  it('names each missing piece with the command that fixes it, exit 1', async () => {
    // No tool on PATH, and a browser that is not there.
    const result = await runCli(['doctor'], { env: { PATH: '/nonexistent', PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^missing\s+browser\s+PUPPETEER_EXECUTABLE_PATH is \/nonexistent\/chrome, which does not exist\n\s+fix: point it at a Chrome or Chromium executable, or unset it$/m);
    expect(result.stdout).toMatch(/^missing\s+qpdf\s.*\n\s+fix: sudo apt-get install -y qpdf$/m);
    expect(result.stdout).toMatch(/^missing\s+Ghostscript\s.*\n\s+fix: sudo apt-get install -y ghostscript$/m);
    expect(result.stdout).toMatch(/^ok\s+fonts\s/m);
    expect(result.stderr).toBe('letterpress: 3 missing: run the fix shown under each\n');
  });
});
