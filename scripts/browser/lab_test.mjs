// Real-browser test of the notebooks in JupyterLab (run by tests/test_browser.py).
//
//   node lab_test.mjs BASE_URL NOTEBOOK... [--shots DIR]
//
// BASE_URL is a JupyterLab server started by the caller (127.0.0.1, token off, fresh
// workspace and settings folders with windowingMode "none", so every cell is in the DOM).
// For each notebook (path relative to the server root): open it, restart the kernel, run
// every cell, and check that every code cell ran, no output is an error or stderr, and no
// "Error displaying widget" / "model not found" text shows. Then every control of every
// widget (slider, drop-down, checkbox, toggle button) is moved and the live figure must
// change. The time from the input event to the new figure drawn in the page is printed
// per widget as a benchmark line (median, p95): a measurement, not an assertion.
// Exit status 1 lists every failure.
import { launch, quantile, within } from './common.mjs';

const args = process.argv.slice(2);
const shotsAt = args.indexOf('--shots');
const shots = shotsAt >= 0 ? args.splice(shotsAt, 2)[1] : null;
const [base, ...notebooks] = args;
if (!base || !notebooks.length) {
  console.error('usage: node lab_test.mjs BASE_URL NOTEBOOK... [--shots DIR]');
  process.exit(2);
}
const RUN_MS = 180000;     // one notebook, restart + run all
const REDRAW_MS = 30000;   // one control change to its new figure (generous: CI machines are shared)
const STEPS = 2;           // changes per control (forward, then back)
const failures = [];
const benchLines = [];

// Open a notebook in the running JupyterLab page (no reload of the application).
async function openNotebook(page, path) {
  await page.evaluate(async (p) => {
    await window.jupyterapp.commands.execute('docmanager:open', { path: p, factory: 'Notebook' });
  }, path);
  await page.waitForFunction((p) => {
    for (const w of window.jupyterapp.shell.widgets('main')) {
      if (w.context && w.context.path === p && w.sessionContext) return true;
    }
    return false;
  }, path, { timeout: 120000 });
}

async function closeNotebook(page, path) {
  await page.evaluate(async (p) => {
    for (const w of window.jupyterapp.shell.widgets('main')) {
      if (w.context && w.context.path === p) {
        await w.sessionContext.shutdown();
        w.dispose();
      }
    }
  }, path);
}

// Restart the kernel and run every cell; return the problems found in the outputs.
async function runAll(page, path) {
  return page.evaluate(async ({ p, runMs }) => {
    const app = window.jupyterapp;
    let panel = null;
    for (const w of app.shell.widgets('main')) if (w.context && w.context.path === p) panel = w;
    app.shell.activateById(panel.id);
    await panel.context.ready;
    await panel.sessionContext.ready;
    const deadline = Date.now() + runMs;
    const idle = async () => {
      while (Date.now() < deadline) {
        const k = panel.sessionContext.session && panel.sessionContext.session.kernel;
        if (k && k.status === 'idle') return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('kernel not idle in time');
    };
    await idle();
    await panel.sessionContext.session.kernel.restart();
    await idle();
    const started = performance.now();
    await app.commands.execute('notebook:run-all-cells');
    await idle();
    const seconds = (performance.now() - started) / 1000;
    const problems = [];
    const cells = panel.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      if (cell.type !== 'code' || !cell.sharedModel.getSource().trim()) continue;
      if (cell.executionCount === null) problems.push(`cell ${i} did not run`);
      for (let j = 0; j < cell.outputs.length; j++) {
        const out = cell.outputs.get(j).toJSON();
        if (out.output_type === 'error') problems.push(`cell ${i}: error ${out.ename}: ${out.evalue}`);
        if (out.output_type === 'stream' && out.name === 'stderr') {
          problems.push(`cell ${i}: stderr ${String(out.text).slice(0, 120)}`);
        }
      }
    }
    const text = panel.content.node.innerText;
    for (const bad of ['Error displaying widget', 'model not found']) {
      if (text.includes(bad)) problems.push(`the page shows "${bad}"`);
    }
    return { problems, seconds, panelId: panel.id };
  }, { p: path, runMs: RUN_MS });
}

// Code cells (DOM indices) that hold widget controls and a live figure.
async function widgetCells(page, panelId) {
  return page.evaluate((id) => {
    const cells = [...document.getElementById(id).querySelectorAll('.jp-CodeCell')];
    return cells.map((c, i) => (c.querySelector(
      '.noUi-handle, .widget-dropdown select, .widget-checkbox input, .widget-toggle-button')
      ? i : -1)).filter((i) => i >= 0);
  }, panelId);
}

async function controlsOf(cell) {
  const found = [];
  for (const h of await cell.$$('.noUi-handle')) found.push({ kind: 'slider', el: h });
  for (const s of await cell.$$('.widget-dropdown select')) found.push({ kind: 'dropdown', el: s });
  for (const c of await cell.$$('.widget-checkbox input[type=checkbox]')) found.push({ kind: 'checkbox', el: c });
  for (const b of await cell.$$('.widget-toggle-buttons')) found.push({ kind: 'toggle', el: b });
  return found;
}

// What a widget shows live: the figure(s) in its Output widget and its HTML widgets (the
// score and verdict of the 01 checklists).
async function liveFigure(cell) {
  return cell.$$eval('.widget-output img, .widget-output svg, .widget-html-content',
    (els) => els.map((e) => e.getAttribute('src') || e.innerHTML).join('|'));
}

// One change of a control. Resolves with { ms, handled }: ms from the input event to the
// new view drawn; for an HTML-only widget whose view stays the same (a ticked criterion
// that does not count), ms is null once the kernel has handled the change and is idle.
async function change(page, cell, control, direction, panelId) {
  await cell.evaluate((node, id) => {
    const live = (n) => [...n.querySelectorAll('.widget-output img, .widget-output svg, .widget-html-content')]
      .map((e) => e.getAttribute('src') || e.innerHTML).join('|');
    window.__live = live;
    window.__before = live(node);
    window.__t0 = null;
    window.__added = 0;
    window.__handled = false;
    const mark = () => { if (window.__t0 === null) window.__t0 = performance.now(); };
    for (const type of ['keydown', 'click', 'change', 'input']) {
      document.addEventListener(type, mark, { capture: true, once: true });
    }
    let panel = null;
    for (const w of window.jupyterapp.shell.widgets('main')) if (w.id === id) panel = w;
    const kernel = panel.sessionContext.session.kernel;
    let busy = false;
    if (window.__statusSlot) window.__statusSlot();
    const slot = (_, status) => {
      if (status === 'busy') busy = true;
      if (status === 'idle' && busy) window.__handled = true;
    };
    kernel.statusChanged.connect(slot);
    window.__statusSlot = () => kernel.statusChanged.disconnect(slot);
    const out = node.querySelector('.widget-output');
    if (window.__observer) window.__observer.disconnect();
    if (!out) return;
    window.__observer = new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (n.nodeType === 1 && (n.matches('img, svg') || n.querySelector('img, svg'))) window.__added++;
        }
      }
    });
    window.__observer.observe(out, { childList: true, subtree: true });
  }, panelId);
  const el = control.el;
  if (control.kind === 'slider') {
    await el.focus();
    await page.keyboard.press(direction > 0 ? 'ArrowRight' : 'ArrowLeft');
  } else if (control.kind === 'dropdown') {
    const n = await el.evaluate((s) => s.options.length);
    const at = await el.evaluate((s) => s.selectedIndex);
    await el.selectOption({ index: (at + direction + n) % n });
  } else if (control.kind === 'checkbox') {
    await el.click();
  } else {
    const buttons = await el.$$('button');
    const at = await el.evaluate((b) => [...b.querySelectorAll('button')].findIndex(
      (x) => x.classList.contains('mod-active')));
    await buttons[(at + direction + buttons.length) % buttons.length].click();
  }
  // a figure widget: a new image drawn (even if identical); an HTML-only widget: new content
  const handle = await page.waitForFunction((node) => {
    if (window.__t0 === null) return false;
    if (!node.querySelector('.widget-output')) {
      if (window.__live(node) !== window.__before) return { ms: performance.now() - window.__t0 };
      return window.__handled ? { ms: null } : false;
    }
    if (!window.__added) return false;
    const imgs = [...node.querySelectorAll('.widget-output img')];
    if (imgs.some((i) => !i.complete || i.naturalWidth === 0)) return false;
    return { ms: performance.now() - window.__t0 };
  }, await cell.evaluateHandle((n) => n), { timeout: REDRAW_MS, polling: 'raf' });
  return handle.jsonValue();
}

async function directionFor(control) {
  if (control.kind !== 'slider') return 1;
  const [now, max] = await control.el.evaluate((h) => [
    Number(h.getAttribute('aria-valuenow')), Number(h.getAttribute('aria-valuemax'))]);
  return now >= max ? -1 : 1;
}

async function exerciseWidget(page, name, cell, panelId) {
  const controls = await controlsOf(cell);
  const figureWidget = Boolean(await cell.$('.widget-output'));
  const times = [];
  const unchanged = [];
  for (const [k, control] of controls.entries()) {
    await control.el.scrollIntoViewIfNeeded();
    const original = await liveFigure(cell);
    const first = await directionFor(control);
    let changed = false;
    for (const direction of [first, -first].slice(0, STEPS)) {
      let result;
      try {
        result = await change(page, cell, control, direction, panelId);
      } catch (err) {
        failures.push(`${name} control ${k} (${control.kind}): no new view after a change (${err.message.split('\n')[0]})`);
        break;
      }
      if (result.ms !== null) times.push(result.ms);
      if ((await liveFigure(cell)) !== original) changed = true;
    }
    if (!changed && figureWidget) failures.push(`${name} control ${k} (${control.kind}): the figure did not change`);
    if (!changed && !figureWidget) unchanged.push(k);
  }
  if (unchanged.length) {
    console.log(`note ${name}: ${unchanged.length} control(s) handled by the kernel but the view ` +
                `stayed the same (controls ${unchanged.join(', ')})`);
  }
  const line = `bench browser redraw ${name}: ${controls.length} controls, ${times.length} changes, ` +
    `median ${quantile(times, 0.5).toFixed(0)} ms, p95 ${quantile(times, 0.95).toFixed(0)} ms ` +
    '(input event to new view drawn)';
  benchLines.push(line);
  console.log(line);
  return controls.length;
}

const browser = await launch();
const started = Date.now();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/lab?reset`, { timeout: 60000 });
  await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.shell, null, { timeout: 60000 });
  await page.evaluate(() => window.jupyterapp.restored);
  for (const path of notebooks) {
    const stem = path.split('/').pop().replace('.ipynb', '');
    const t0 = Date.now();
    try {
      await within(openNotebook(page, path), 150000, `open ${stem}`);
      const { problems, seconds, panelId } = await within(runAll(page, path), RUN_MS + 30000, `run ${stem}`);
      problems.forEach((p) => failures.push(`${stem}: ${p}`));
      if (shots) await page.screenshot({ path: `${shots}/lab_${stem}_top.png` });
      const indices = await widgetCells(page, panelId);
      let controls = 0;
      for (const [w, index] of indices.entries()) {
        const cell = (await page.$$(`#${panelId} .jp-CodeCell`))[index];
        controls += await exerciseWidget(page, `${stem}#${w + 1}`, cell, panelId);
        if (shots && w === 0) {
          await cell.scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${shots}/lab_${stem}_widget.png` });
        }
      }
      console.log(`ok ${stem}: ran in ${seconds.toFixed(1)} s, ${indices.length} widgets, ` +
                  `${controls} controls moved, ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
    } catch (err) {
      failures.push(`${stem}: ${err.message.split('\n')[0]}`);
    } finally {
      await closeNotebook(page, path).catch(() => {});
    }
  }
} finally {
  await browser.close();
}
console.log(`lab browser test: ${notebooks.length} notebooks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length) {
  console.error(`${failures.length} failure(s):\n` + failures.map((f) => `  - ${f}`).join('\n'));
  process.exit(1);
}
