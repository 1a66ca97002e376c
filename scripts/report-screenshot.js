#!/usr/bin/env node
// Usage: node scripts/report-screenshot.js REPORT.html OUT.png
// A full-page PNG of a tear sheet in Debian's headless chromium (playwright-core), offline,
// with the flags the report browser spec uses. Used for the README's screenshot.
const { chromium } = require('playwright-core');
const { pathToFileURL } = require('node:url');

async function main() {
  const [report, png] = process.argv.slice(2);
  if (!report || !png) throw new Error('usage: node scripts/report-screenshot.js REPORT.html OUT.png');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, offline: true });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
    await page.screenshot({ path: png, fullPage: true });
    if (errors.length > 0) throw new Error(`console errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
