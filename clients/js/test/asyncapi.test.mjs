// Checks src/frames.ts against docs/asyncapi.yaml: every frame of the socket channel, its `type`
// const, its required and optional field names and its enums must equal FRAME_FIELDS and
// FRAME_ENUMS (which the compiler ties to the TypeScript types). A frame or a field added to or
// removed from either side fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FRAME_FIELDS, FRAME_ENUMS } from '../dist/index.js';

const documentPath = fileURLToPath(new URL('../../../docs/asyncapi.yaml', import.meta.url));
const document = parse(readFileSync(documentPath, 'utf8'));

/** Follows a local `$ref` ('#/a/b/c') in the document. */
function resolve(node) {
  let current = node;
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    assert.ok(current.$ref.startsWith('#/'), `only local references are expected: ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((at, key) => {
        assert.ok(at && key in at, `dangling reference ${current.$ref}`);
        return at[key];
      }, document);
  }
  return current;
}

/** The frames one operation of the socket channel carries, as { type: { required, optional, enums } }. */
function framesOf(operationId) {
  const operation = document.operations[operationId];
  assert.ok(operation, `operation ${operationId} is in the document`);
  assert.equal(resolve(operation.channel).address, '/ws');
  const frames = {};
  for (const reference of operation.messages) {
    const message = resolve(reference);
    const schema = resolve(message.payload);
    const type = schema.properties?.type?.const;
    assert.equal(typeof type, 'string', `${reference.$ref} has a type const`);
    assert.ok(!(type in frames), `${type} appears once in ${operationId}`);
    const names = Object.keys(schema.properties).filter((name) => name !== 'type');
    const required = (schema.required ?? []).filter((name) => name !== 'type');
    assert.ok(schema.required.includes('type'), `${type}: type is required`);
    const enums = {};
    for (const name of names) {
      const property = resolve(schema.properties[name]);
      if (Array.isArray(property.enum)) enums[name] = [...property.enum].sort();
    }
    frames[type] = {
      required: [...required].sort(),
      optional: names.filter((name) => !required.includes(name)).sort(),
      enums,
    };
  }
  return frames;
}

function fromTable(table, enumTable = {}) {
  return Object.fromEntries(
    Object.entries(table).map(([type, spec]) => [
      type,
      {
        required: [...spec.required].sort(),
        optional: [...spec.optional].sort(),
        enums: Object.fromEntries(
          Object.entries(enumTable[type] ?? {}).map(([name, values]) => [name, [...values].sort()]),
        ),
      },
    ]),
  );
}

test('client frames in FRAME_FIELDS equal what the AsyncAPI document says the gateway receives', () => {
  assert.deepEqual(fromTable(FRAME_FIELDS.client), framesOf('receiveClientFrames'));
});

test('server frames in FRAME_FIELDS and FRAME_ENUMS equal what the AsyncAPI document says the gateway sends', () => {
  assert.deepEqual(fromTable(FRAME_FIELDS.server, FRAME_ENUMS.server), framesOf('sendServerFrames'));
});

test('every frame of the socket channel is in one of the two operations', () => {
  const channel = document.channels.socket;
  const inOperations = new Set(
    [...document.operations.receiveClientFrames.messages, ...document.operations.sendServerFrames.messages].map(
      (reference) => resolve(reference),
    ),
  );
  for (const [name, message] of Object.entries(channel.messages)) {
    assert.ok(inOperations.has(resolve(message)), `${name} is sent or received`);
  }
});

test('the examples of every frame use only the fields the table names, and all the required ones', () => {
  const directions = [
    ['receiveClientFrames', FRAME_FIELDS.client],
    ['sendServerFrames', FRAME_FIELDS.server],
  ];
  let checked = 0;
  for (const [operationId, table] of directions) {
    for (const reference of document.operations[operationId].messages) {
      for (const example of resolve(reference).examples ?? []) {
        const { type, ...fields } = example.payload;
        const spec = table[type];
        assert.ok(spec, `${operationId}: example of a known frame: ${type}`);
        for (const name of spec.required) assert.ok(name in fields, `${type} example has ${name}`);
        for (const name of Object.keys(fields)) {
          assert.ok(spec.required.includes(name) || spec.optional.includes(name), `${type} example field ${name} is known`);
        }
        checked++;
      }
    }
  }
  assert.ok(checked > 0, 'the document has examples');
});
