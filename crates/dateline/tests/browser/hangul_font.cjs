// Opens a page in headless Chromium and asks the browser which fonts drew the Hangul of the
// legal masthead (Chrome DevTools' CSS.getPlatformFontsForNode): the test passes only when a
// Korean face drew every one of its Hangul glyphs, so none can be a box.
// Usage: node hangul_font.cjs URL   Prints one JSON line; exits 1 when Hangul is not drawn.
const { launch } = require('./chromium.cjs');

(async () => {
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.newPage();
    await page.goto(process.argv[2], { waitUntil: 'load' });
    const hangul = await page.evaluate(() => {
      const holder = [...document.querySelectorAll('.legal__masthead dd')].find((dd) => /[\uAC00-\uD7A3]/.test(dd.textContent) && dd.children.length === 0);
      if (!holder) return null;
      holder.setAttribute('data-hangul-probe', '');
      return holder.textContent;
    });
    if (hangul === null) throw new Error('no Hangul in the legal masthead');
    const syllables = [...hangul].filter((c) => /[\uAC00-\uD7A3]/.test(c)).length;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-hangul-probe]' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const korean = fonts.filter((f) => /CJK|KR|Korean|Gothic|Myungjo|Batang/i.test(f.familyName));
    const drawn = korean.reduce((sum, f) => sum + f.glyphCount, 0);
    ok = drawn >= syllables && syllables > 0;
    console.log(JSON.stringify({ ok, hangul, syllables, fonts }));
  } finally {
    await browser.close();
  }
  process.exit(ok ? 0 : 1);
})().catch((error) => { console.error(error); process.exit(2); });
