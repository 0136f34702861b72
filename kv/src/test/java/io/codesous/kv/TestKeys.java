package io.codesous.kv;

import java.util.UUID;

/** Key names under a prefix no other test or run shares, so tests on a shared server stay apart. */
final class TestKeys {

  private final String prefix;

  private TestKeys(String prefix) {
    this.prefix = prefix;
  }

  static TestKeys unique() {
    return new TestKeys(KvStoreContract.TEST_KEY_PREFIX + UUID.randomUUID() + ":");
  }

  String of(String name) {
    return prefix + name;
  }
}
