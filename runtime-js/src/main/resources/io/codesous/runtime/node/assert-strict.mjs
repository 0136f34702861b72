// node:assert/strict: node:assert's strict mode, whose equal and deepEqual are strictEqual and deepStrictEqual.
import { strict } from 'node:assert';

export const { AssertionError, ok, equal, notEqual, strictEqual, notStrictEqual, deepEqual, notDeepEqual,
  deepStrictEqual, notDeepStrictEqual, match, doesNotMatch, ifError, throws, doesNotThrow, rejects, doesNotReject,
  fail } = strict;
export { strict };
export default strict;
