// Opens each URL in headless Chromium at a phone's width (375 px) and checks that the header
// takes at most 120 px before the first headline, that nothing scrolls sideways and that
// every link and button in the page chrome is large enough to tap.
// Usage: node narrow_screen.cjs URL...   (playwright-core must resolve, e.g. through NODE_PATH)
// Prints one JSON line per page; exits 1 when any page fails.
const { launch } = require('./chromium.cjs');

const MIN_TAP = 24; // WCAG 2.2 target size (minimum), in CSS pixels
const MOST_HEADER = 120; // CSS pixels of header before the page's own content

(async () => {
  const browser = await launch();
  let failed = false;
  try {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    for (const url of process.argv.slice(2)) {
      await page.goto(url, { waitUntil: 'load' });
      const header = await page.evaluate(() => Math.round(document.querySelector('.site-header').getBoundingClientRect().bottom));
      // Open the full menu too: its links must be tappable when shown.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      const result = await page.evaluate((minTap) => {
        const overflow = document.documentElement.scrollWidth - window.innerWidth;
        const small = [];
        for (const el of document.querySelectorAll('header a, header summary, nav a, footer a, .pagination a')) {
          const box = el.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue;
          if (box.height < minTap || box.width < minTap) small.push(`${el.textContent.trim()} (${Math.round(box.width)}x${Math.round(box.height)})`);
        }
        return { overflow, small };
      }, MIN_TAP);
      const ok = result.overflow <= 0 && result.small.length === 0 && header <= MOST_HEADER;
      if (!ok) failed = true;
      console.log(JSON.stringify({ url, ok, header, ...result }));
    }
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})().catch((error) => { console.error(error); process.exit(2); });
