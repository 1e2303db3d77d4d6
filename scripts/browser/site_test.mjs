// Real-browser test of the static course website (run by tests/test_browser.py).
//
//   node site_test.mjs BASE_URL [--shots DIR]
//
// BASE_URL serves build/site (a local HTTP server started by the caller). Starting from
// index.html, every local HTML page reached by a link is loaded in chromium and must show
// no console error, no page error and no failed request; no page may ask for anything
// outside BASE_URL (such requests are blocked and reported). Every image needs alt text and
// must be drawn; every local link must reach an existing file, and its #anchor an element of
// the target page. The search page must find a word of the course. Exit status 1 lists every
// failure.
import { launch } from './common.mjs';

const args = process.argv.slice(2);
const shotsAt = args.indexOf('--shots');
const shots = shotsAt >= 0 ? args.splice(shotsAt, 2)[1] : null;
const [baseArg] = args;
if (!baseArg) { console.error('usage: node site_test.mjs BASE_URL [--shots DIR]'); process.exit(2); }
const base = baseArg.endsWith('/') ? baseArg : `${baseArg}/`;
const origin = new URL(base).origin;
const MAX_PAGES = 200;
const failures = [];
const ids = new Map();        // page URL (no hash) -> Set of element ids
const links = [];             // { from, to }
const SHOT_PAGES = ['index.html', '05_trial_evidence.html', 'glossary.html'];

const browser = await launch();
const started = Date.now();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    failures.push(`request outside the site: ${url}`);
    return route.abort();
  });
  const queue = [new URL('index.html', base).href];
  const seen = new Set(queue);
  while (queue.length && seen.size <= MAX_PAGES) {
    const url = queue.shift();
    const name = url.slice(base.length);
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      if (r.url().startsWith(origin)) problems.push(`failed request: ${r.url()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    const response = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    if (!response || !response.ok()) problems.push(`HTTP ${response ? response.status() : 'no response'}`);
    await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});
    const found = await page.evaluate(() => ({
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
      names: [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')),
      images: [...document.images].map((i) => ({ src: i.getAttribute('src'), alt: (i.getAttribute('alt') || '').trim(), drawn: i.complete && i.naturalWidth > 0 })),
      hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.href),
      searchFields: [...document.querySelectorAll('.search-button-field')]
        .filter((e) => e.offsetParent !== null).length,
    }));
    if (found.searchFields > 1) problems.push(`${found.searchFields} search fields shown (one expected)`);
    ids.set(url.split('#')[0], new Set([...found.ids, ...found.names]));
    for (const img of found.images) {
      if (!img.alt) problems.push(`image without alt text: ${img.src}`);
      if (!img.drawn) problems.push(`image not drawn: ${img.src}`);
    }
    for (const href of found.hrefs) {
      if (!href.startsWith(origin)) continue;
      links.push({ from: name, to: href });
      const target = href.split('#')[0];
      if (target.endsWith('.html') && !seen.has(target)) { seen.add(target); queue.push(target); }
    }
    if (shots && SHOT_PAGES.includes(name)) {
      await page.screenshot({ path: `${shots}/site_${name.replace('.html', '')}.png` });
    }
    problems.forEach((p) => failures.push(`${name}: ${p}`));
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}: ${found.images.length} images, ${found.hrefs.length} links`);
    await page.close();
  }
  // every local link: the file exists, and its anchor is an element of the target page
  const status = new Map();
  for (const { from, to } of links) {
    const [file, hash] = to.split('#');
    if (!status.has(file)) {
      const r = await context.request.get(file, { timeout: 15000 }).catch((e) => ({ status: () => e.message }));
      status.set(file, r.status());
    }
    if (status.get(file) !== 200) failures.push(`${from}: broken link ${to} (${status.get(file)})`);
    else if (hash && ids.has(file) && !ids.get(file).has(decodeURIComponent(hash))) {
      failures.push(`${from}: link ${to} names an anchor the page does not have`);
    }
  }
  // the search page finds a word that every notebook uses
  const search = await context.newPage();
  await search.goto(new URL('search.html?q=lupus', base).href);
  const hits = await search.waitForFunction(
    () => document.querySelectorAll('#search-results li, ul.search li').length,
    null, { timeout: 30000 }).then((h) => h.jsonValue()).catch(() => 0);
  if (!hits) failures.push('search.html?q=lupus found nothing');
  // snippets are article text, not the theme's buttons (colour modes, page contents)
  await search.waitForFunction(
    () => /finished/i.test(document.querySelector('#search-progress, .search-summary')?.textContent || ''),
    null, { timeout: 30000 }).catch(() => failures.push('search.html?q=lupus never finished'));
  const snippets = await search.evaluate(
    () => [...document.querySelectorAll('#search-results p.context')].map((p) => p.textContent));
  const chrome = snippets.filter((t) => /Light Dark|System Settings|Settings Light/.test(t));
  if (!snippets.length) failures.push('search.html?q=lupus shows no snippets');
  if (chrome.length) failures.push(`search snippets quote the theme: ${chrome[0].slice(0, 80)}`);
  if (shots) await search.screenshot({ path: `${shots}/site_search.png` });
  console.log(`site browser test: ${seen.size} pages, ${links.length} local links, search hits ${hits}, ` +
              `${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} failure(s):\n` + failures.map((f) => `  - ${f}`).join('\n'));
  process.exit(1);
}
