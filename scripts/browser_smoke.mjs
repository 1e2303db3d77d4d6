// Browser smoke test of one widget notebook in a real JupyterLab (optional; not part of CI).
//
// Needs Debian's chromium (`apt-get install chromium`) and playwright-core from npm
// (`npm install --no-save playwright-core`; it downloads no browser). Start JupyterLab first:
//   .venv/bin/jupyter lab --no-browser --ServerApp.token= --port 8898 \
//       --LabApp.expose_app_in_browser=True --LabApp.workspaces_dir=$(mktemp -d) [--allow-root]
// then:  node scripts/browser_smoke.mjs http://127.0.0.1:8898/lab/tree/notebooks/00_start_here.ipynb shots/nb00
// It runs all cells, moves the last slider with the arrow keys (or ticks the last checkbox if
// there is no slider), and saves <prefix>_before.png and _after.png; it exits non-zero if no
// control appears, the live figure does not change, or the browser cannot draw it (an image
// with zero natural width).
import { chromium } from 'playwright-core';

const [url, prefix] = process.argv.slice(2);
if (!url || !prefix) { console.error('usage: node browser_smoke.mjs URL OUT_PREFIX'); process.exit(2); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  await page.goto(url);
  await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.shell, null, { timeout: 60000 });
  await page.waitForTimeout(4000);
  await page.evaluate(() => { window.jupyterapp.commands.execute('notebook:run-all-cells', {}); return null; });
  // a widget has sliders, or (notebook 05) only checkboxes and drop-downs
  await page.waitForSelector('.noUi-handle, .widget-checkbox input', { timeout: 60000 });
  await page.waitForTimeout(5000);
  const liveImage = async () => page.$$eval('.widget-output img', els => els.map(e => e.src).join());
  const handles = await page.$$('.noUi-handle');
  const control = handles.length ? handles[handles.length - 1]
    : (await page.$$('.widget-checkbox input')).pop();
  await control.scrollIntoViewIfNeeded();
  await page.waitForTimeout(1000);  // JupyterLab renders cells lazily while scrolling
  const before = await liveImage();
  await page.screenshot({ path: `${prefix}_before.png` });
  if (handles.length) {
    // the keyboard moves a noUiSlider handle wherever it is drawn (a mouse drag needs its box)
    await control.focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  } else {
    await control.click();
  }
  await page.waitForTimeout(4000);  // wait for the kernel to redraw
  await page.screenshot({ path: `${prefix}_after.png` });
  const after = await liveImage();
  if (!before || before === after) { console.error('the live figure did not change'); process.exit(1); }
  const drawn = await page.$$eval('.widget-output img', els => els.map(
    e => ({ kind: e.src.slice(0, 19), width: e.naturalWidth })));
  if (!drawn.length || drawn.some(d => d.width === 0)) {
    console.error(`a live figure was not drawn: ${JSON.stringify(drawn)}`); process.exit(1);
  }
  console.log(`ok: ${handles.length} slider handles; live figure redrawn after a control changed; ` +
              `live images ${JSON.stringify(drawn)}`);
} finally {
  await browser.close();
}
