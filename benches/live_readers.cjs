// The crowd of benches/live.sh: READERS open event streams on the readers' server(s), then an
// editor posts POSTS live posts, one every second, through the desk on the editor's server.
// Prints, as JSON on the last line: how many readers were connected, how many posts each got,
// and the delay from the moment a post was sent until each reader received it (median, p99,
// max). Only Node's standard library; traffic only to the addresses given (127.0.0.1).
// Usage: node live_readers.cjs READERS_BASE[,READERS_BASE2] EDITOR_BASE STORY READERS POSTS EMAIL PASSWORD
'use strict';
const http = require('node:http');

const [readerBases, editorBase, story, readersText, postsText, email, password] = process.argv.slice(2);
const READERS = Number(readersText);
const POSTS = Number(postsText);
const bases = readerBases.split(',');
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function request(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { data += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body) { req.write(body); }
    req.end();
  });
}

function cookie(response, name) {
  const found = (response.headers['set-cookie'] || []).find((c) => c.startsWith(`${name}=`));
  return found ? found.split(';')[0] : null;
}

function csrf(html) {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) { throw new Error('no csrf field'); }
  return match[1];
}

async function signIn() {
  const form = await request('GET', `${editorBase}/desk/sign-in`, {});
  const formCookie = cookie(form, 'dateline_sign_in');
  const body = new URLSearchParams({ email, password, csrf: csrf(form.body), next: '/desk/' }).toString();
  const signed = await request('POST', `${editorBase}/desk/sign-in`,
    { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' }, body);
  const session = cookie(signed, 'dateline_session');
  if (!session) { throw new Error(`signing in failed: ${signed.status}`); }
  const desk = await request('GET', `${editorBase}/desk/stories/${story}/live`, { cookie: session });
  return { session, token: csrf(desk.body) };
}

const sentAt = new Map();
const delays = [];
let connected = 0;
let failed = 0;
const received = new Array(READERS).fill(0);

function listen(index) {
  return new Promise((resolve) => {
    const base = bases[index % bases.length];
    const req = http.get(`${base}/_live/${story}`, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) { failed += 1; res.resume(); resolve(); return; }
      connected += 1;
      resolve();
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.startsWith('event: post')) { continue; }
          const marker = /bench-post-(\d+)/.exec(block);
          if (marker && sentAt.has(marker[1])) {
            delays.push(Number(process.hrtime.bigint() - sentAt.get(marker[1])) / 1e6);
            received[index] += 1;
          }
        }
      });
    });
    req.on('error', () => { failed += 1; resolve(); });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) { return null; }
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

(async () => {
  // Connect in batches, as a crowd arrives.
  for (let start = 0; start < READERS; start += 250) {
    const batch = [];
    for (let i = start; i < Math.min(READERS, start + 250); i += 1) { batch.push(listen(i)); }
    await Promise.all(batch);
  }
  console.log(`readers connected: ${connected} (${failed} refused)`);
  if (process.send) { process.send('connected'); }
  const { session, token } = await signIn();
  for (let n = 1; n <= POSTS; n += 1) {
    const started = Date.now();
    const body = new URLSearchParams({ csrf: token, body: `Update bench-post-${n}: the crowd keeps reading.` }).toString();
    sentAt.set(String(n), process.hrtime.bigint());
    const posted = await request('POST', `${editorBase}/desk/stories/${story}/live`,
      { cookie: session, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body);
    if (posted.status !== 201) { throw new Error(`post ${n} answered ${posted.status}: ${posted.body}`); }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - started))));
  }
  // Let the last post arrive everywhere.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  delays.sort((a, b) => a - b);
  const complete = received.filter((count) => count === POSTS).length;
  console.log(JSON.stringify({
    readers: connected,
    refused: failed,
    posts: POSTS,
    readers_with_every_post: complete,
    deliveries: delays.length,
    delay_ms: { median: percentile(delays, 50), p99: percentile(delays, 99), max: delays[delays.length - 1] },
  }));
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(1); });
