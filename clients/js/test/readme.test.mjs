// The README's usage example is examples/usage.ts, which `npm test` type-checks first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8');

test('the README usage example is examples/usage.ts', () => {
  const block = /## Usage\n\n```ts\n([\s\S]*?)```/.exec(read('../README.md'));
  assert.ok(block, 'the README has a usage example');
  const example = read('../examples/usage.ts')
    .replace(/^(\/\/.*\n)+/, '') // the file's own header comment
    .replace("from '../src/index.js'", "from '@chat/client'");
  assert.equal(example, block[1]);
});
