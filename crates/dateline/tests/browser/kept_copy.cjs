// End-to-end in headless Chromium: a reporter writes a story; in another tab of the same
// browser the session is signed out; the reporter saves, nothing is written, and the text is
// kept on the page; they sign in again in a new tab, come back, continue, and send it: the
// text reaches the story as typed. A new story typed and never saved by hand is autosaved
// as a draft, and its Save edits that same story.
// Usage: node kept_copy.cjs BASE_URL EMAIL PASSWORD
const assert = require('node:assert/strict');
const { launch, signIn: signInAt } = require('./chromium.cjs');

const [base, email, password] = process.argv.slice(2);
const headline = `Night ferry schedule changes ${Date.now() % 100000}`;
const body = 'The last ferry now leaves at 23:40.\n\nA second paragraph that took an hour to write.';

const signIn = (page) => signInAt(page, base, email, password);

(async () => {
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const writing = await context.newPage();
    await signIn(writing);
    await writing.goto(`${base}/desk/stories/new`);
    await writing.getByLabel('Headline', { exact: true }).fill(headline);
    await writing.getByLabel('Home section').selectOption({ label: 'National › Politics' });
    await writing.getByLabel('Body (Markdown)').fill(body);

    // Meanwhile, in another tab, the session ends.
    const other = await context.newPage();
    await other.goto(`${base}/desk/`);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.waitForURL(/\/desk\/sign-in/);

    // Saving writes nothing, and keeps the text.
    await writing.getByRole('button', { name: 'Save draft' }).click();
    await writing.getByRole('heading', { name: /Your session has ended/ }).waitFor();
    assert.match(await writing.locator('textarea[readonly]').inputValue(), /took an hour to write/);

    // Signed in again in a new tab; back in the first, continue and send.
    const again = await context.newPage();
    await signIn(again);
    await again.close();
    await writing.getByRole('button', { name: /in another tab: continue/ }).click();
    await writing.getByRole('heading', { name: /finish what you started/ }).waitFor();
    await writing.getByRole('button', { name: 'Send it now' }).click();
    await writing.waitForURL(/\/desk\/stories\/\d+\?saved=1$/);
    assert.equal(await writing.getByLabel('Headline', { exact: true }).inputValue(), headline);
    assert.equal(await writing.getByLabel('Body (Markdown)').inputValue(), body);

    // Ctrl+S saves; leaving with edits not yet sent asks first.
    await writing.getByLabel('Deck', { exact: true }).fill('Later sailings on weekdays');
    await writing.keyboard.press('Control+s');
    await writing.waitForURL(/\/desk\/stories\/\d+\?saved=1$/);
    assert.equal(await writing.getByLabel('Deck', { exact: true }).inputValue(), 'Later sailings on weekdays');
    // Typing is autosaved a few seconds after it stops, beside the story, not into it.
    const storyUrl = writing.url().replace(/\?saved=1$/, '');
    await writing.getByLabel('Body (Markdown)').fill(`${body}\n\nA third paragraph, autosaved.`);
    await writing.locator('#autosave-status', { hasText: 'Autosaved at' }).waitFor({ timeout: 10000 });
    const review = await context.newPage();
    await review.goto(`${storyUrl}?autosaved=1`);
    assert.match(await review.getByLabel('Body (Markdown)').inputValue(), /A third paragraph, autosaved\.$/);
    await review.goto(storyUrl);
    assert.equal(await review.getByLabel('Body (Markdown)').inputValue(), body, 'the story itself is as saved');
    await review.close();

    // A new story is autosaved before its first save: the screen becomes that story's editor,
    // and its Save edits the same story.
    const fresh = await context.newPage();
    await fresh.goto(`${base}/desk/stories/new`);
    await fresh.getByLabel('Body (Markdown)').fill('Typed on a new story and never saved by hand.');
    await fresh.locator('#autosave-status', { hasText: 'Autosaved at' }).waitFor({ timeout: 10000 });
    assert.match(fresh.url(), /\/desk\/stories\/\d+$/, 'the address is the stored draft\'s');
    const draftUrl = fresh.url();
    const elsewhere = await context.newPage();
    await elsewhere.goto(draftUrl);
    assert.equal(await elsewhere.getByLabel('Body (Markdown)').inputValue(), 'Typed on a new story and never saved by hand.');
    await elsewhere.close();
    await fresh.getByLabel('Headline', { exact: true }).fill('Harbour lights switched off');
    await fresh.getByLabel('Home section').selectOption({ label: 'National › Politics' });
    await fresh.getByRole('button', { name: 'Save draft' }).click();
    await fresh.waitForURL(`${draftUrl}?saved=1`);
    assert.equal(await fresh.getByLabel('Headline', { exact: true }).inputValue(), 'Harbour lights switched off');
    await fresh.close();

    await writing.getByLabel('Deck', { exact: true }).fill('An edit not yet sent');
    const asked = new Promise((resolve) => writing.once('dialog', (dialog) => {
      resolve(dialog.type());
      dialog.dismiss();
    }));
    await writing.close({ runBeforeUnload: true });
    assert.equal(await asked, 'beforeunload');
    console.log('kept copy e2e OK');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
