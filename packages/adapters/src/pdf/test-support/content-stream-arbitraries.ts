import fc from 'fast-check';
import type { PageSpec, XObjectSpec } from './ink-scan-entry.js';

const join = (parts: ReadonlyArray<string>): string => parts.join(' ');

// Numbers as producers write them; small enough that a few dozen cm never overflow.
const integer = fc.integer({ min: -1000, max: 1000 }).map(String);
const real = fc
  .tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 1, max: 4 }))
  .map(([n, digits]) => (n / 100).toFixed(digits));
const oddNumber = fc.constantFrom('.5', '-.25', '5.', '+3', '-0', '007');
const coordinate = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(integer, real) },
  { weight: 1, arbitrary: oddNumber },
);
const scale = fc.integer({ min: -200, max: 200 }).map((n) => (n / 100).toString());

const plainChar = fc.constantFrom(...'abcXYZ 019.,;:-_é€\t'.split(''));
// Octal escapes always have three digits: pdf-lib's parser reads 8 and 9 as octal digits too.
const escaped = fc.constantFrom(
  '\\n',
  '\\r',
  '\\t',
  '\\b',
  '\\f',
  '\\(',
  '\\)',
  '\\\\',
  '\\053',
  '\\351',
  '\\\n',
  '\\q',
);
const stringBody: fc.Arbitrary<string> = fc.letrec<{ body: string }>((tie) => ({
  body: fc
    .array(
      fc.oneof(
        { depthSize: 'small' },
        plainChar,
        escaped,
        tie('body').map((b) => `(${b})`),
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
})).body;
const literal = stringBody.map((b) => `(${b})`);
const hex = fc
  .array(fc.constantFrom(...'0123456789abcdefABCDEF '.split('')), { maxLength: 12 })
  .map((d) => `<${d.join('')}>`);
const text = fc.oneof(literal, hex);
const name = fc.constantFrom('/F1', '/GS1', '/a#20b', '/Span', '/P');
// Tight arrays as producers write them, `[(Te)-20(xt)]`: only two numbers in a row need a space.
const tjArray = fc.array(fc.oneof(text, integer), { maxLength: 6 }).chain((items) =>
  fc.boolean().map((tight) => {
    const isText = (item: string | undefined) =>
      item?.startsWith('(') === true || item?.startsWith('<') === true;
    const inner = items.map(
      (item, i) => (i === 0 || !tight || isText(item) || isText(items[i - 1]) ? '' : ' ') + item,
    );
    return tight ? `[${inner.join('')}]` : `[ ${join(items)} ]`;
  }),
);
const dict = fc
  .array(
    fc.tuple(name, fc.oneof(integer, literal, name, fc.constantFrom('true', 'false', 'null', '[1 2]'))),
    {
      maxLength: 3,
    },
  )
  .map((entries) => `<<${entries.map(([k, v]) => `${k} ${v}`).join(' ')}>>`);

const withArgs = (op: string, ...args: ReadonlyArray<fc.Arbitrary<string>>) =>
  fc.tuple(...args).map((a) => join([...a, op]));

/** One well-formed operation (no inline image: pdf-lib's parser skips them, we do not). */
export const operation = (xobjectNames: ReadonlyArray<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      'q',
      'Q',
      'BT',
      'ET',
      'T*',
      'S',
      's',
      'f',
      'F',
      'f*',
      'B',
      'B*',
      'b',
      'b*',
      'n',
      'W n',
      'EMC',
    ),
    withArgs('cm', scale, scale, scale, scale, coordinate, coordinate),
    withArgs('Tm', scale, scale, scale, scale, coordinate, coordinate),
    withArgs('Tf', name, fc.integer({ min: -30, max: 30 }).map(String)),
    withArgs('TL', coordinate),
    withArgs('Td', coordinate, coordinate),
    withArgs('TD', coordinate, coordinate),
    withArgs('Tj', text),
    withArgs('TJ', tjArray),
    withArgs("'", text),
    withArgs('"', integer, integer, text),
    withArgs('m', coordinate, coordinate),
    withArgs('l', coordinate, coordinate),
    withArgs('c', coordinate, coordinate, coordinate, coordinate, coordinate, coordinate),
    withArgs('v', coordinate, coordinate, coordinate, coordinate),
    withArgs('y', coordinate, coordinate, coordinate, coordinate),
    withArgs('re', coordinate, coordinate, coordinate, coordinate),
    withArgs('Do', fc.constantFrom(...xobjectNames, '/Missing')),
    withArgs('rg', scale, scale, scale),
    withArgs('w', integer),
    withArgs('d', fc.constant('[3 2]'), integer),
    withArgs('BDC', name, dict),
    withArgs('gs', name),
    fc.constant('/Sh1 sh'),
  );

const separator = fc.constantFrom(' ', '\n', '\r\n', '\t', ' % a comment (with a paren\n');
const stream = (xobjectNames: ReadonlyArray<string>, maxLength: number): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(operation(xobjectNames), separator), { maxLength })
    .map((ops) => ops.map(([op, sep]) => op + sep).join(''));

/** A well-formed page: its content, and images and forms drawn by it (a form may draw the ones before it). */
export const wellFormedPage: fc.Arbitrary<PageSpec> = fc
  .record({
    forms: fc.array(
      fc.option(
        fc.array(
          fc.integer({ min: -200, max: 200 }).map((n) => n / 100),
          { minLength: 6, maxLength: 6 },
        ),
      ),
      {
        maxLength: 3,
      },
    ),
    compressed: fc.boolean(),
  })
  .chain(({ forms, compressed }) => {
    const formNames = forms.map((_, i) => `/Fm${i}`);
    const formContents = forms.map((_, i) => stream(['/Im1', ...formNames.slice(0, i)], 10));
    return fc
      .tuple(stream(['/Im1', ...formNames], 40), fc.tuple(...formContents))
      .map(([content, contents]) => ({
        content,
        compressed,
        xobjects: {
          Im1: { kind: 'image' } as XObjectSpec,
          ...Object.fromEntries(
            forms.map((matrix, i): [string, XObjectSpec] => [
              `Fm${i}`,
              { kind: 'form', content: contents[i] ?? '', ...(matrix === null ? {} : { matrix }) },
            ]),
          ),
        },
      }));
  });

// Anything: tokens of the content-stream alphabet, broken ones, stray delimiters and random bytes.
const hostile = fc.oneof(
  operation(['/Im1', '/Fm0']),
  fc.constantFrom(')', '>', '{', '}', ']', '[', '<', '<<', '>>', '(', '\\', '%', '/', 'BI', 'ID', 'EI'),
  fc.constantFrom('1.2.3', '--5', '.', '+', '1e5', '0x1F', '<4G>', '(\\', '[ 1 w ]', '<< /A >>'),
  fc
    .integer({ min: 1, max: 5000 })
    .chain((n) => fc.constantFrom('[', '(', '<<', '9', '-', 'q ').map((t) => t.repeat(n))),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.uint8Array({ maxLength: 64 }).map((b) => `BI /W 4 /H 4 ID ${Buffer.from(b).toString('latin1')} EI`),
);

/** Random content streams, hostile ones included, as bytes. */
export const anyContent: fc.Arbitrary<Uint8Array> = fc
  .array(fc.tuple(hostile, fc.constantFrom('', ' ', '\n', '\r', '\0')), { maxLength: 60 })
  .map((parts) => new Uint8Array(Buffer.from(parts.map(([t, s]) => t + s).join(''), 'latin1')));
