// End-to-end in headless Chromium: a reporter writes a body with the editor's formatting
// toolbar and keyboard shortcuts, sees it previewed beside the box as readers will see it,
// and the body's length under it follows the typing.
// Usage: node writing_tools.cjs BASE_URL REPORTER_EMAIL REPORTER_PASSWORD
const assert = require('node:assert/strict');
const { launch, signIn } = require('./chromium.cjs');

const [base, email, password] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, base, email, password);
    await page.goto(`${base}/desk/stories/new`);
    const body = page.locator('#body');
    const length = page.locator('#body-length');
    assert.equal(await length.innerText(), 'No words yet.');
    await body.fill('Ferries stop as the typhoon nears');
    await page.waitForFunction(() => document.getElementById('body-length').textContent.startsWith('6 words'));
    const toolbar = page.getByRole('toolbar', { name: 'Formatting' });

    // Bold from the toolbar, around a selected word.
    await body.evaluate((box) => { const at = box.value.indexOf('typhoon'); box.setSelectionRange(at, at + 7); });
    await toolbar.getByRole('button', { name: 'Bold' }).click();
    assert.equal(await body.inputValue(), 'Ferries stop as the **typhoon** nears');

    // Italic with the keyboard.
    await body.evaluate((box) => { box.setSelectionRange(0, 7); });
    await body.press('Control+i');
    assert.equal(await body.inputValue(), '_Ferries_ stop as the **typhoon** nears');

    // A link: the address is selected, ready to be typed over.
    await body.evaluate((box) => { const at = box.value.indexOf('nears'); box.setSelectionRange(at, at + 5); });
    await toolbar.getByRole('button', { name: 'Link' }).click();
    await page.keyboard.type('https://weather.example/typhoon');
    assert.equal(await body.inputValue(), '_Ferries_ stop as the **typhoon** [nears](https://weather.example/typhoon)');

    // A quotation and a heading mark the lines they are on.
    await body.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Schools close');
    await toolbar.getByRole('button', { name: 'Quote' }).click();
    assert.ok((await body.inputValue()).endsWith('\n> Schools close'), await body.inputValue());
    await page.waitForFunction(() => document.getElementById('body-length').textContent.startsWith('8 words'));
    assert.match(await length.innerText(), /^8 words, about 1 min to read\.$/);

    // The preview beside the body is the reader page's rendering, and follows the typing.
    await toolbar.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview of the body' });
    await preview.locator('strong', { hasText: 'typhoon' }).waitFor();
    assert.equal(await preview.locator('a').getAttribute('href'), 'https://weather.example/typhoon');
    assert.equal(await preview.locator('blockquote').innerText(), 'Schools close');
    await body.press('End');
    await page.keyboard.type('\n\n<script>window.previewRan = true</script>Buses run');
    await page.waitForFunction(() => document.getElementById('body-preview').textContent.includes('Buses run'));
    assert.equal(await preview.locator('script').count(), 0, 'the preview is sanitized as readers\' pages are');
    assert.equal(await page.evaluate(() => window.previewRan === true), false);
    console.log('writing tools e2e OK');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
