package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A bundle's module graph is parsed and linked before it is stored, and none of its code runs. */
class ModuleCheckTest {

  private static ModuleCheck check;

  @BeforeAll
  static void createCheck() {
    check = new ModuleCheck();
  }

  @AfterAll
  static void closeCheck() {
    check.close();
  }

  private static Map<String, byte[]> bundle(String... nameThenContent) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      files.put(nameThenContent[i], nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  private static ModuleProblem problem(Map<String, byte[]> files) {
    Optional<ModuleProblem> found = check.check(files, "index.mjs");
    assertTrue(found.isPresent(), "expected a problem");
    return found.get();
  }

  @Test
  void aBundleWhoseImportsResolveHasNoProblem() {
    assertEquals(Optional.empty(), check.check(bundle(
        "index.mjs", "import { greet } from './lib/greet.mjs';\nexport const handler = () => greet('x');\n",
        "lib/greet.mjs", "export const greet = (x) => `hello ${x}`;\n"), "index.mjs"));
  }

  @Test
  void noneOfTheBundlesCodeRunsWhileItIsChecked() {
    // run, either module would end the check with its own error instead of none
    assertEquals(Optional.empty(), check.check(bundle(
        "index.mjs", "import './lib/side.mjs';\nthrow new Error('the entry ran');\nexport const handler = () => 1;\n",
        "lib/side.mjs", "throw new Error('the import ran');\n"), "index.mjs"));
  }

  @Test
  void aModuleAwaitingAtTopLevelIsCheckedWithoutRunning() {
    assertEquals(Optional.empty(), check.check(bundle(
        "index.mjs", "await Promise.reject(new Error('the entry ran'));\nexport const handler = () => 1;\n"),
        "index.mjs"));
  }

  @Test
  void aSyntaxErrorInTheEntryNamesItsLineAndColumn() {
    ModuleProblem problem = problem(bundle(
        "index.mjs", "export function handler() {\n  return { statusCode: 200,, };\n}\n"));

    assertEquals("index.mjs", problem.file());
    assertEquals(2, problem.line());
    assertTrue(problem.column() > 0, problem::toString);
    assertTrue(problem.message().contains("SyntaxError"), problem::toString);
  }

  @Test
  void aSyntaxErrorInAnImportedModuleNamesThatModule() {
    ModuleProblem problem = problem(bundle(
        "index.mjs", "import { greet } from './lib/greet.mjs';\nexport const handler = () => greet();\n",
        "lib/greet.mjs", "// greeting\nexport const greet = (x) => {\n  return x +;\n};\n"));

    assertEquals("lib/greet.mjs", problem.file());
    assertEquals(3, problem.line());
    assertTrue(problem.message().contains("SyntaxError"), problem::toString);
    assertTrue(problem.message().startsWith("SyntaxError: Expected"), problem::toString);
  }

  @Test
  void anImportOfAFileTheBundleLacksNamesTheFile() {
    ModuleProblem problem = problem(bundle(
        "index.mjs", "import { greet } from './lib/missing.mjs';\nexport const handler = () => greet();\n"));

    assertTrue(problem.message().contains("missing.mjs"), problem::toString);
    assertEquals("index.mjs:1:23", problem.file() + ":" + problem.line() + ":" + problem.column());
  }

  @Test
  void anImportOfAWebAssemblyFileNamesTheImportAndWhatToDoInstead() {
    Map<String, byte[]> files = bundle("index.mjs", "// the Workers way\nimport add from './lib/add.wasm';\n"
        + "export const handler = () => add;\n");
    files.put("lib/add.wasm", new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60});
    ModuleProblem problem = problem(files);

    assertEquals("index.mjs:2:17", problem.file() + ":" + problem.line() + ":" + problem.column(), problem::toString);
    assertEquals("'./lib/add.wasm' is a WebAssembly file, which cannot be imported as a module: bundle its bytes into "
        + "the code (esbuild --loader:.wasm=binary) and compile them with WebAssembly.instantiate", problem.message());
  }

  @Test
  void anImportOfANameTheModuleDoesNotExportIsAProblem() {
    ModuleProblem problem = problem(bundle(
        "index.mjs", "import { nope } from './lib/greet.mjs';\nexport const handler = () => nope();\n",
        "lib/greet.mjs", "export const greet = (x) => x;\n"));

    assertTrue(problem.message().contains("nope"), problem::toString);
    assertEquals(1, problem.line(), problem::toString);
  }

  @Test
  void aBundleImportingTheRuntimesNodeModulesHasNoProblemAndRunsNoneOfThem() {
    assertEquals(Optional.empty(), check.check(bundle(
        "index.mjs", "import process from 'node:process';\nimport { Buffer } from 'node:buffer';\n"
            + "import { setTimeout } from 'node:timers/promises';\nimport { randomUUID } from 'node:crypto';\n"
            + "import { URL } from 'node:url';\nimport * as timers from 'node:timers';\n"
            + "import EventEmitter from 'node:events';\nimport { join } from 'node:path';\n"
            + "import { promisify } from 'node:util';\nimport { parse } from 'node:querystring';\n"
            + "import { StringDecoder } from 'node:string_decoder';\n"
            + "export const handler = () => [process, Buffer, setTimeout, randomUUID, URL, timers, EventEmitter,\n"
            + "  join, promisify, parse, StringDecoder];\n"),
        "index.mjs"));
  }

  @Test
  void aBundleImportingTheRuntimesModulesByTheirBareNamesHasNoProblem() {
    assertEquals(Optional.empty(), check.check(bundle(
        "index.mjs", "import { EventEmitter } from 'events';\nimport { createHash } from 'crypto';\n"
            + "import util from 'util';\nexport const handler = () => [EventEmitter, createHash, util];\n"),
        "index.mjs"));
  }

  @Test
  void anImportOfANodeModuleTheRuntimeLacksNamesItAndTheOnesThereAre() {
    ModuleProblem problem = problem(bundle(
        "index.mjs", "import { Buffer } from 'node:buffer';\nimport { readFileSync } from 'node:fs';\n"
            + "export const handler = () => readFileSync;\n"));

    assertTrue(problem.message().contains(
        "code-sous has no module node:fs; it has node:assert, node:assert/strict, node:async_hooks, node:buffer, "),
        problem::toString);
    assertEquals("index.mjs:2", problem.file() + ":" + problem.line(), problem::toString);
  }

  @Test
  void anImportOfANameANodeModuleDoesNotExportIsAProblem() {
    ModuleProblem problem = problem(bundle(
        "index.mjs", "import { createCipheriv } from 'node:crypto';\nexport const handler = () => createCipheriv;\n"));

    assertTrue(problem.message().contains("createCipheriv"), problem::toString);
  }
}
