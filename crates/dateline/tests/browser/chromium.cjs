// Debian's Chromium, headless, with the flags this machine needs (no sandbox, no GPU, nothing
// fetched from the network by the browser itself): what every browser test launches.
const { chromium } = require('playwright-core');

module.exports.launch = () => chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
