// End-to-end in headless Chromium on the demo paper: a reader plays an episode of "English
// Eye" with the browser's own player (the sound arrives in byte ranges and plays); an editor
// gives a story a YouTube video on the desk; a reader's page of that story asks nothing of
// any host but the paper's until the reader presses play, and then the player comes from
// YouTube's no-cookie domain.
// Usage: node listen_and_watch.cjs BASE_URL EDITOR_EMAIL EDITOR_PASSWORD
const assert = require('node:assert/strict');
const { launch, signIn } = require('./chromium.cjs');

const [base, editorEmail, editorPassword] = process.argv.slice(2);
const paper = new URL(base).host;

(async () => {
  const browser = await launch();
  try {
    // A listener plays the newest episode from the show's page.
    const listener = await (await browser.newContext()).newPage();
    const ranges = [];
    listener.on('request', (request) => {
      if (request.url().includes('/audio/')) { ranges.push(request.headers().range || 'whole'); }
    });
    await listener.goto(`${base}/podcasts/english-eye/`);
    const player = listener.locator('.episode-card audio').first();
    await player.waitFor();
    const played = await player.evaluate(async (audio) => {
      audio.muted = true;
      await audio.play();
      await new Promise((done) => setTimeout(done, 1500));
      return { time: audio.currentTime, duration: audio.duration, error: audio.error && audio.error.code };
    });
    assert.equal(played.error, null, 'the sound decodes in the browser');
    assert.ok(played.time > 0.5, `it plays: ${JSON.stringify(played)}`);
    assert.ok(played.duration > 5 && played.duration < 20, `its length: ${played.duration}`);
    assert.ok(ranges.length > 0, 'the player fetched the sound');

    // The editor gives a story a YouTube video.
    const editor = await (await browser.newContext()).newPage();
    await signIn(editor, base, editorEmail, editorPassword);
    await editor.goto(`${base}/national/`);
    const storyLink = await editor.locator('a[href^="/article/"]').first().getAttribute('href');
    const story = /\/article\/(\d+)\//.exec(storyLink)[1];
    await editor.goto(`${base}/desk/stories/${story}/video`);
    await editor.getByLabel(/^Title/).fill('The sea wall at dawn');
    await editor.getByLabel('Its link').fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    await editor.getByRole('button', { name: 'Save the video' }).click();
    await editor.locator('.notice', { hasText: 'Saved.' }).waitFor();

    // A reader's page of the story asks only the paper for anything until play is pressed.
    const readerContext = await browser.newContext();
    const reader = await readerContext.newPage();
    const elsewhere = [];
    reader.on('request', (request) => {
      const host = new URL(request.url()).host;
      if (host !== paper) { elsewhere.push(request.url()); }
    });
    await reader.goto(`${base}${storyLink}`, { waitUntil: 'networkidle' });
    assert.deepEqual(elsewhere, [], 'nothing from another host before play');
    assert.equal(await reader.locator('iframe').count(), 0);
    await reader.getByRole('link', { name: /Play: The sea wall at dawn/ }).click();
    const frame = reader.locator('.video iframe');
    await frame.waitFor();
    assert.match(await frame.getAttribute('src'), /^https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ\?autoplay=1$/);
    assert.ok(elsewhere.every((url) => url.startsWith('https://www.youtube-nocookie.com/')), `only the player: ${elsewhere}`);
    assert.equal(reader.url(), `${base}${storyLink}`, 'the reader stayed on the page');
    console.log('listen and watch e2e OK');
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
