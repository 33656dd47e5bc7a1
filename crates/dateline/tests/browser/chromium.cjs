// Debian's Chromium, headless, with the flags this machine needs (no sandbox, no GPU, nothing
// fetched from the network by the browser itself): what every browser test launches.
const { chromium } = require('playwright-core');

module.exports.launch = () => chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Signs in through the desk's form, as a person does, and waits for the story list.
module.exports.signIn = async (page, base, email, password) => {
  await page.goto(`${base}/desk/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Stories', level: 1 }).waitFor();
};
