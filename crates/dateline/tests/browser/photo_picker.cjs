// End-to-end in headless Chromium: an editor opens the photo library over the story in a
// dialog, searches it without leaving the editor, makes a photo the lead photo and places
// another in the body (both filled into the form, nothing typed lost), saves, and the
// preview shows the placed photo as a figure.
// Usage: node photo_picker.cjs BASE_URL EDITOR_EMAIL EDITOR_PASSWORD
const assert = require('node:assert/strict');
const { launch, signIn } = require('./chromium.cjs');

const [base, email, password] = process.argv.slice(2);

(async () => {
  const browser = await launch();
  try {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, base, email, password);
    await page.goto(`${base}/desk/stories/1`);
    const editorUrl = page.url();
    const body = page.locator('#body');
    await body.fill('The first paragraph, typed and not yet saved.');

    const dialog = page.locator('dialog.photo-picker-dialog');
    await page.getByRole('link', { name: 'Choose, place or upload a photo from the library' }).click();
    await dialog.locator('.photo-picker__photo').first().waitFor();
    assert.ok(await dialog.evaluate((d) => d.open), 'the library opens over the editor');
    assert.equal(page.url(), editorUrl);

    // A search stays inside the dialog.
    await dialog.getByLabel('Find by caption, credit, photographer, keyword or place').fill('no photo is called this');
    await dialog.getByRole('button', { name: 'Find' }).click();
    await dialog.getByText('No photos found.').waitFor();
    await dialog.getByLabel('Find by caption, credit, photographer, keyword or place').fill('');
    await dialog.getByRole('button', { name: 'Find' }).click();
    await dialog.locator('.photo-picker__photo').first().waitFor();

    // The lead photo, chosen in the form, not yet saved.
    const candidate = dialog.locator('.photo-picker__photo:has(form.pick-lead)').first();
    const leadId = await candidate.getAttribute('data-photo');
    await candidate.getByRole('button', { name: 'Make it the lead photo' }).click();
    assert.equal(await dialog.evaluate((d) => d.open), false, 'choosing closes the dialog');
    assert.equal(await page.locator('#lead_media').inputValue(), leadId);
    assert.equal(await body.inputValue(), 'The first paragraph, typed and not yet saved.');

    // A photo placed in the body at the end of the text.
    await page.getByRole('link', { name: 'Choose, place or upload a photo from the library' }).click();
    const placed = dialog.locator('.photo-picker__photo').nth(1);
    await placed.waitFor();
    const placedId = await placed.getAttribute('data-photo');
    await body.evaluate((box) => box.setSelectionRange(box.value.length, box.value.length));
    await placed.getByRole('button', { name: 'Place it in the body' }).click();
    const text = await body.inputValue();
    assert.match(text, new RegExp(`^The first paragraph, typed and not yet saved\\.\\n\\n!\\[[^\\]]*\\]\\(photo:${placedId}\\)$`), text);

    // Saved, and the preview draws the placed photo as a figure.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/saved=1/);
    assert.equal(await page.locator('#lead_media').inputValue(), leadId);
    await page.goto(`${base}/desk/stories/1/preview`);
    const figure = page.locator('figure.story__figure--body');
    await figure.waitFor();
    assert.ok(Number(await figure.locator('img').getAttribute('width')) > 0, 'a placed photo carries its size');
    console.log('photo picker e2e OK');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
