package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** node:assert and node:assert/strict: Node.js's assertions and its rules of deep equality. */
class NodeAssertTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  private static final String OUTCOME = """
      function outcome(call) {
        try { call(); return 'ok'; } catch (e) { return e.name + ' ' + e.code + ' ' + e.operator; }
      }
      """;

  @Test
  void aFailedAssertionThrowsAnAssertionErrorWithActualExpectedAndOperator() {
    ExecutionResult result = runtime.run(TestRequest.entry(OUTCOME + """
        import assert, { AssertionError, strictEqual } from 'node:assert';
        export const handler = () => {
          let failure;
          try { strictEqual(1, 2, 'one is not two'); } catch (e) { failure = e; }
          let own;
          try { assert.ok(false, new RangeError('mine')); } catch (e) { own = e.name + ':' + e.message; }
          return {statusCode: 200, body: JSON.stringify([failure instanceof AssertionError, failure.code,
            failure.message, failure.actual, failure.expected, failure.operator, failure.generatedMessage, own,
            outcome(() => assert(1)), outcome(() => assert(0)), outcome(() => assert.equal(1, '1')),
            outcome(() => assert.notEqual(1, 2)), outcome(() => assert.fail('no')), outcome(() => assert.ifError(null)),
            outcome(() => assert.match('abc', /b/)), outcome(() => assert.doesNotMatch('abc', /b/))])};
        };
        """));

    assertEquals("[true,\"ERR_ASSERTION\",\"one is not two\",1,2,\"strictEqual\",false,\"RangeError:mine\","
        + "\"ok\",\"AssertionError ERR_ASSERTION ==\",\"ok\",\"ok\",\"AssertionError ERR_ASSERTION fail\",\"ok\","
        + "\"ok\",\"AssertionError ERR_ASSERTION doesNotMatch\"]", assertSuccessBody(result));
  }

  @Test
  void deepStrictEqualComparesAsNodeDoesAndTheLegacyDeepEqualLoosely() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { deepStrictEqual, deepEqual } from 'node:assert';
        import { isDeepStrictEqual } from 'node:assert';
        function both(a, b) {
          const strict = (() => { try { deepStrictEqual(a, b); return 'S'; } catch (e) { return 's'; } })();
          const loose = (() => { try { deepEqual(a, b); return 'L'; } catch (e) { return 'l'; } })();
          return strict + loose;
        }
        const cycleA = {name: 'a'}; cycleA.self = cycleA;
        const cycleB = {name: 'a'}; cycleB.self = cycleB;
        export const handler = () => ({statusCode: 200, body: [
          both({a: [1, {b: 2}]}, {a: [1, {b: 2}]}), both({a: 1}, {a: '1'}), both(NaN, NaN), both(0, -0),
          both(Object.create(null), {}), both(new Date(5), new Date(5)), both(new Date(5), new Date(6)),
          both(/a/g, /a/g), both(/a/g, /a/i), both(new Map([[{k: 1}, 'v']]), new Map([[{k: 1}, 'v']])),
          both(new Map([['k', 1]]), new Map([['k', 2]])), both(new Set([1, {x: 1}]), new Set([{x: 1}, 1])),
          both(new Uint8Array([1, 2]), new Uint8Array([1, 2])), both(new Uint8Array([1]), Buffer.from([1])),
          both(new Error('x'), new Error('y')), both(cycleA, cycleB), both([1, 2], {0: 1, 1: 2}),
          both({[Symbol.for('s')]: 1}, {}), both(new Number(1), new Number(2)), both([1, 2, 3], [1, 2]),
          isDeepStrictEqual({a: [1]}, {a: [1]}),
        ].join()});
        """));

    assertEquals("SL,sL,SL,sL,sL,SL,sl,SL,sl,SL,sl,SL,SL,sL,sl,SL,sl,sL,sl,sl,true", assertSuccessBody(result));
  }

  @Test
  void throwsAndRejectsCheckTheErrorByClassPatternPropertiesOrFunction() {
    ExecutionResult result = runtime.run(TestRequest.entry(OUTCOME + """
        import assert from 'node:assert';
        const boom = () => { const e = new TypeError('bad input'); e.code = 'E_BAD'; throw e; };
        export const handler = async () => {
          const rejection = async (call) => { try { await call(); return 'ok'; } catch (e) { return e.code; } };
          return {statusCode: 200, body: JSON.stringify([
            outcome(() => assert.throws(boom, TypeError)), outcome(() => assert.throws(boom, RangeError)),
            outcome(() => assert.throws(boom, /bad input/)), outcome(() => assert.throws(boom, {code: 'E_BAD'})),
            outcome(() => assert.throws(boom, {code: 'E_OTHER'})),
            outcome(() => assert.throws(boom, (e) => e.message.startsWith('bad'))),
            outcome(() => assert.throws(() => {})), outcome(() => assert.doesNotThrow(boom)),
            await rejection(() => assert.rejects(Promise.reject(new Error('no')), /no/)),
            await rejection(() => assert.rejects(async () => 'fine')),
            await rejection(() => assert.doesNotReject(Promise.resolve(1))),
          ])};
        };
        """));

    assertEquals("[\"ok\",\"AssertionError ERR_ASSERTION throws\",\"ok\",\"ok\","
        + "\"AssertionError ERR_ASSERTION throws\",\"ok\",\"AssertionError ERR_ASSERTION throws\","
        + "\"AssertionError ERR_ASSERTION doesNotThrow\",\"ok\",\"ERR_ASSERTION\",\"ok\"]", assertSuccessBody(result));
  }

  @Test
  void theStrictModeMakesEqualAndDeepEqualTheStrictComparisons() {
    ExecutionResult result = runtime.run(TestRequest.entry(OUTCOME + """
        import strictAssert, { equal, deepEqual } from 'node:assert/strict';
        import assert, { strict } from 'assert';
        export const handler = () => ({statusCode: 200, body: JSON.stringify([
          outcome(() => equal(1, '1')), outcome(() => deepEqual({a: 1}, {a: '1'})), outcome(() => assert.equal(1, '1')),
          strict === strictAssert, assert.strict === strictAssert, outcome(() => strictAssert(0)),
        ])});
        """));

    assertEquals("[\"AssertionError ERR_ASSERTION strictEqual\",\"AssertionError ERR_ASSERTION deepStrictEqual\","
        + "\"ok\",true,true,\"AssertionError ERR_ASSERTION ==\"]", assertSuccessBody(result));
  }
}
