// The built bundle keeps to what the gateway serves without a token: /, /index.html,
// /assets/** and /favicon.svg. Run after `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [relative(dist, path).split('\\').join('/')];
  });
}

test('every file but index.html and favicon.svg is under assets/', () => {
  assert.ok(existsSync(join(dist, 'index.html')), 'dist/index.html: run npm run build first');
  const outside = files(dist).filter((f) => f !== 'index.html' && f !== 'favicon.svg' && !f.startsWith('assets/'));
  assert.deepEqual(outside, []);
});

test('index.html loads its script and styles from /assets/', () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  assert.match(html, /<html lang="en">/);
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(urls.some((u) => /^\/assets\/.+\.js$/.test(u)), `a script under /assets/: ${urls}`);
  for (const url of urls) assert.ok(url.startsWith('/assets/') || url === '/favicon.svg', `served without a token: ${url}`);
});

test('the bundle stays small (js + css under 40 kB gzip)', () => {
  const assets = join(dist, 'assets');
  const bytes = readdirSync(assets)
    .filter((f) => /\.(js|css)$/.test(f))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  assert.ok(bytes > 0 && bytes < 40_000, `${bytes} bytes gzip`);
});
