// End-to-end in headless Chromium: an editor signs in, uploads a photo, writes a story with
// it, previews it and publishes it, and the reader site shows it on its section front and
// article page; then a reporter signs in and finds no way to publish.
// Usage: node newsroom.cjs BASE_URL PHOTO_PATH EDITOR_EMAIL EDITOR_PASSWORD REPORTER_EMAIL REPORTER_PASSWORD
const assert = require('node:assert/strict');
const { launch, signIn: signInAt } = require('./chromium.cjs');

const [base, photo, editorEmail, editorPassword, reporterEmail, reporterPassword] = process.argv.slice(2);
const headline = `Harbour pilots return to work after a week-long stoppage ${Date.now() % 100000}`;

const signIn = (page, email, password) => signInAt(page, base, email, password);

(async () => {
  const browser = await launch();
  try {
    const editor = await browser.newPage();
    await signIn(editor, editorEmail, editorPassword);

    // A photo for the story.
    await editor.goto(`${base}/desk/photos`);
    await editor.setInputFiles('#file', photo);
    await editor.getByLabel('Caption', { exact: true }).fill('Pilot boats line up at the harbour mouth.');
    await editor.getByLabel('Credit', { exact: true }).fill('Dateline');
    await editor.getByLabel('Alt text (what the photo shows)').fill('Three small pilot boats in a row at a harbour entrance');
    await editor.getByRole('button', { name: 'Upload' }).click();
    await editor.waitForURL(/\/desk\/photos\/\d+\?saved=1$/);

    // The story.
    await editor.goto(`${base}/desk/stories/new`);
    await editor.getByLabel('Headline', { exact: true }).fill(headline);
    await editor.getByLabel('Deck', { exact: true }).fill('Ships that waited offshore begin to dock');
    await editor.getByLabel('Home section').selectOption({ label: 'National › Politics' });
    await editor.getByLabel('Byline 1').selectOption({ label: 'Yonhap' });
    await editor.getByLabel('Lead photo').selectOption({ label: 'Pilot boats line up at the harbour mouth.' });
    await editor.getByLabel('Body (Markdown)').fill('Pilots went back to work on Friday.\n\n> We are glad to be back, one pilot said.\n\nThe port expects a busy weekend. (Yonhap)');
    await editor.getByRole('button', { name: 'Save draft' }).click();
    await editor.waitForURL(/\/desk\/stories\/\d+\?saved=1$/);
    const storyUrl = editor.url().replace(/\?saved=1$/, '');

    // Preview: the reader page, before anyone else can see it.
    await editor.getByRole('link', { name: 'Preview' }).click();
    assert.equal(await editor.locator('h1').innerText(), headline);
    await editor.goto(storyUrl);

    await editor.getByRole('button', { name: 'Publish now' }).click();
    await editor.waitForURL(/\?done=published$/);
    assert.match(await editor.locator('.notice[role=status]').innerText(), /^Published\. Readers see it now/);
    assert.match(await editor.locator('h1 .status').innerText(), /published/i);

    // The reader site.
    const reader = await browser.newPage();
    await reader.goto(`${base}/national/politics/`);
    await reader.getByRole('link', { name: headline }).first().click();
    await reader.waitForURL(/\/article\/\d+\//);
    assert.equal(await reader.locator('h1').innerText(), headline);
    assert.match(await reader.locator('figure figcaption').innerText(), /\(Dateline\)$/);
    assert.equal(await reader.locator('.byline a').first().innerText(), 'Yonhap');
    const loaded = await reader.locator('figure img').evaluate((img) => img.complete && img.naturalWidth > 0);
    assert.ok(loaded, 'the lead photo loads');

    await editor.getByRole('button', { name: 'Sign out' }).click();
    await editor.waitForURL(/\/desk\/sign-in$/);

    // A reporter writes, but cannot publish.
    const reporter = await browser.newPage();
    await signIn(reporter, reporterEmail, reporterPassword);
    await reporter.goto(`${base}/desk/stories/new`);
    await reporter.getByLabel('Headline', { exact: true }).fill('Reporter draft from the browser');
    await reporter.getByLabel('Home section').selectOption({ label: 'Business' });
    await reporter.getByLabel('Body (Markdown)').fill('A first draft.');
    await reporter.getByRole('button', { name: 'Save draft' }).click();
    await reporter.waitForURL(/\/desk\/stories\/\d+\?saved=1$/);
    assert.equal(await reporter.getByRole('button', { name: 'Publish now' }).count(), 0, 'no publish button for a reporter');
    assert.equal(await reporter.getByRole('button', { name: 'Schedule' }).count(), 0, 'no schedule button for a reporter');
    assert.equal(await reporter.getByRole('button', { name: 'Submit for review' }).count(), 1);
    console.log('e2e OK');
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
