// End-to-end in headless Chromium: a reader has the demo's running live story open; an
// editor, in another browser context, posts a key event from the live desk with Ctrl+Enter;
// the post and the key event appear on the reader's page without a reload.
// Usage: node live.cjs BASE_URL EDITOR_EMAIL EDITOR_PASSWORD
const assert = require('node:assert/strict');
const { launch, signIn } = require('./chromium.cjs');

const [base, editorEmail, editorPassword] = process.argv.slice(2);
const text = `Power is back in the harbor district, the utility says (${Date.now() % 100000}).`;

(async () => {
  const browser = await launch();
  try {
    // The reader opens the live story from its section front and starts listening.
    const readerContext = await browser.newContext();
    const reader = await readerContext.newPage();
    await reader.goto(`${base}/national/social-affairs/`);
    await reader.getByRole('link', { name: /^Live: Typhoon Mirae/ }).first().click();
    await reader.waitForURL(/\/article\/\d+\//);
    const story = /\/article\/(\d+)\//.exec(reader.url())[1];
    assert.equal(await reader.locator('.live-label').innerText(), 'LIVE');
    await reader.locator('.live[data-listening="yes"]').waitFor();
    const postsBefore = await reader.locator('#live-stream article.live-post').count();
    const keyEventsBefore = await reader.locator('#key-events li').count();
    await reader.evaluate(() => { window.stillTheSamePage = true; });

    // The editor, elsewhere, posts a key event with the keyboard.
    const editorContext = await browser.newContext();
    const editor = await editorContext.newPage();
    await signIn(editor, base, editorEmail, editorPassword);
    await editor.goto(`${base}/desk/stories/${story}/live`);
    await editor.getByLabel('Title (optional)').fill('Power restored');
    await editor.getByRole('checkbox', { name: 'Key event' }).check();
    const box = editor.getByLabel(/^Post \(Markdown/);
    await box.fill(text);
    await box.press('Control+Enter');
    await editor.locator('#live-box-status', { hasText: 'Posted.' }).waitFor();
    assert.equal(await box.inputValue(), '', 'the box is cleared once the post is taken');
    assert.match(editor.url(), /\/live$/, 'posted without leaving the screen');

    // The reader's page shows it, on top, without reloading.
    const arrived = reader.locator('#live-stream article.live-post').first();
    await arrived.filter({ hasText: text }).waitFor({ timeout: 5000 });
    assert.equal(await reader.locator('#live-stream article.live-post').count(), postsBefore + 1);
    assert.equal(await reader.locator('#key-events li').count(), keyEventsBefore + 1);
    assert.match(await reader.locator('#key-events li').first().innerText(), /Power restored/);
    assert.ok(await reader.evaluate(() => window.stillTheSamePage === true), 'the page was not reloaded');
    console.log('live e2e OK');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
