package io.codesous.spec.kv;

import io.codesous.spec.validation.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class KvKeysTest {

  /** Arguments of one key: tenant, namespace, function, and the key-specific extra (id, version, alias, chunk). */
  private record Args(String tenant, String namespace, String function, String extra) {
  }

  /** Every key kind, as a function of the arguments it uses (unused ones are ignored). */
  private static final Map<String, Function<Args, String>> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("functionIndex", a -> KvKeys.functionIndex(a.tenant, a.namespace));
    KINDS.put("function", a -> KvKeys.function(a.tenant, a.namespace, a.function));
    KINDS.put("draft", a -> KvKeys.draft(a.tenant, a.namespace, a.function, a.extra));
    KINDS.put("draftTombstone", a -> KvKeys.draftTombstone(a.tenant, a.namespace, a.function, a.extra));
    KINDS.put("versionSeq", a -> KvKeys.versionSeq(a.tenant, a.namespace, a.function));
    KINDS.put("versionMeta", a -> KvKeys.versionMeta(a.tenant, a.namespace, a.function, a.extra));
    KINDS.put("versionBundle", a -> KvKeys.versionBundle(a.tenant, a.namespace, a.function, a.extra));
    KINDS.put("alias", a -> KvKeys.alias(a.tenant, a.namespace, a.function, a.extra));
    KINDS.put("aliasIndex", a -> KvKeys.aliasIndex(a.tenant, a.namespace, a.function));
    KINDS.put("activation", a -> KvKeys.activation(a.tenant, a.namespace, a.extra));
    KINDS.put("activationLogs", a -> KvKeys.activationLogs(a.tenant, a.namespace, a.extra, 0));
    KINDS.put("activationLogs1", a -> KvKeys.activationLogs(a.tenant, a.namespace, a.extra, 1));
    KINDS.put("activationIndex", a -> KvKeys.activationIndex(a.tenant, a.namespace, a.function));
    KINDS.put("secret", a -> KvKeys.secret(a.tenant, a.namespace, a.extra));
    KINDS.put("secretIndex", a -> KvKeys.secretIndex(a.tenant, a.namespace));
  }

  /**
   * Valid names chosen to be adversarial: hyphenated combinations of each other and the literal words the
   * schema uses as separators.
   */
  private static final List<String> NAMES = List.of("a", "b", "c", "a-b", "b-c", "fn", "fns", "act", "acts",
      "ver", "seq", "draft", "alias", "aliases", "meta", "bundle", "logs", "seen", "cs", "latest",
      "secret", "secrets");
  private static final List<String> SMALL = List.of("a", "b", "a-b", "b-c", "fn", "act", "cs");
  private static final List<String> EXTRAS = List.of("1", "12", "seq", "meta", "abcdefgh", "abcdefgh-1", "12345678",
      "a", "b-c", "aliases", "fn", "secret", "secrets");

  @Test
  void exactFormatIsPinned() {
    // the stored data depends on these strings: changing one orphans existing keys
    assertEquals("cs:t:n:fns", KvKeys.functionIndex("t", "n"));
    assertEquals("cs:t:n:fn:f", KvKeys.function("t", "n", "f"));
    assertEquals("cs:t:n:fn:f:draft:d1234567", KvKeys.draft("t", "n", "f", "d1234567"));
    assertEquals("cs:t:n:fn:f:draft:d1234567:seen", KvKeys.draftTombstone("t", "n", "f", "d1234567"));
    assertEquals("cs:t:n:fn:f:ver:seq", KvKeys.versionSeq("t", "n", "f"));
    assertEquals("cs:t:n:fn:f:ver:3:meta", KvKeys.versionMeta("t", "n", "f", "3"));
    assertEquals("cs:t:n:fn:f:ver:3:bundle", KvKeys.versionBundle("t", "n", "f", "3"));
    assertEquals("cs:t:n:fn:f:alias:prod", KvKeys.alias("t", "n", "f", "prod"));
    assertEquals("cs:t:n:fn:f:aliases", KvKeys.aliasIndex("t", "n", "f"));
    assertEquals("cs:t:n:act:a1234567", KvKeys.activation("t", "n", "a1234567"));
    assertEquals("cs:t:n:act:a1234567:logs:4", KvKeys.activationLogs("t", "n", "a1234567", 4));
    assertEquals("cs:t:n:fn:f:acts", KvKeys.activationIndex("t", "n", "f"));
    assertEquals("cs:t:n:secret:db-password", KvKeys.secret("t", "n", "db-password"));
    assertEquals("cs:t:n:secrets", KvKeys.secretIndex("t", "n"));
  }

  static Stream<Arguments> kinds() {
    return KINDS.keySet().stream().map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void everyKeyStartsWithTheTenantPrefix(String kind) {
    for (String tenant : NAMES) {
      String key = KINDS.get(kind).apply(new Args(tenant, "ns", "fn-x", "abcdefgh"));
      assertTrue(key.startsWith("cs:" + tenant + ":"), kind + ": " + key);
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void noKeyOfOneTenantFallsUnderAnotherTenantsPrefix(String kind) {
    for (String tenant : NAMES) {
      for (String other : NAMES) {
        if (tenant.equals(other)) {
          continue;
        }
        String key = KINDS.get(kind).apply(new Args(tenant, "n", "f", "abcdefgh"));
        assertFalse(key.startsWith("cs:" + other + ":"), kind + ": " + key + " under tenant " + other);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void everyKeyIsMadeOfValidSegmentsSeparatedByColons(String kind) {
    String key = KINDS.get(kind).apply(new Args("acme", "prod", "resize", "abcdefgh"));
    for (String segment : key.split(":", -1)) {
      assertFalse(segment.isEmpty(), key);
      assertTrue(segment.matches("^[a-z0-9-]+$"), key);
    }
  }

  @Test
  void noTwoDistinctKeysCollide() {
    Map<String, String> seen = new HashMap<>();
    int built = 0;
    for (String tenant : SMALL) {
      for (String namespace : SMALL) {
        for (String function : NAMES) {
          for (String extra : EXTRAS) {
            Args args = new Args(tenant, namespace, function, extra);
            for (Map.Entry<String, Function<Args, String>> kind : KINDS.entrySet()) {
              String key = kind.getValue().apply(args);
              String identity = kind.getKey() + describe(kind.getKey(), args);
              String previous = seen.putIfAbsent(key, identity);
              if (previous != null && !previous.equals(identity)) {
                fail("collision on " + key + ": " + previous + " vs " + identity);
              }
              built++;
            }
          }
        }
      }
    }
    assertTrue(seen.size() > 10_000, "enough distinct keys were generated: " + seen.size());
    assertTrue(built > seen.size(), "sanity: the same identity was generated more than once");
  }

  /** Only the arguments a kind actually uses are part of its identity. */
  private static String describe(String kind, Args a) {
    return switch (kind) {
      case "functionIndex", "secretIndex" -> List.of(a.tenant, a.namespace).toString();
      case "secret" -> List.of(a.tenant, a.namespace, a.extra).toString();
      case "function", "versionSeq", "aliasIndex", "activationIndex" ->
          List.of(a.tenant, a.namespace, a.function).toString();
      case "activation", "activationLogs", "activationLogs1" -> List.of(a.tenant, a.namespace, a.extra).toString();
      default -> List.of(a.tenant, a.namespace, a.function, a.extra).toString();
    };
  }

  @Test
  void hyphenatedNamesDoNotCollideAcrossLevels() {
    // function "a" in namespace "b-c" vs function "c-a" in namespace "b" vs function "b-c-a" ...
    List<String> keys = new ArrayList<>(List.of(
        KvKeys.function("t", "b-c", "a"),
        KvKeys.function("t", "b", "c-a"),
        KvKeys.function("t", "b", "ca"),
        KvKeys.function("t-b", "c", "a"),
        KvKeys.function("t", "b-c-a", "a"),
        KvKeys.function("b", "c", "a")));
    assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());
    // tenant "a" with namespace "b-c" differs from tenant "a-b" with namespace "c"
    assertNotEquals(KvKeys.functionIndex("a", "b-c"), KvKeys.functionIndex("a-b", "c"));
    assertNotEquals(KvKeys.activation("a", "b-c", "abcdefgh"), KvKeys.activation("a-b", "c", "abcdefgh"));
  }

  @Test
  void functionScopedKeysStayUnderTheirFunctionPrefix() {
    String prefix = KvKeys.function("t", "n", "a") + ":";
    for (String kind : List.of("draft", "draftTombstone", "versionSeq", "versionMeta", "versionBundle", "alias",
        "aliasIndex", "activationIndex")) {
      Args own = new Args("t", "n", "a", "abcdefgh");
      Args sibling = new Args("t", "n", "a-b", "abcdefgh");
      assertTrue(KINDS.get(kind).apply(own).startsWith(prefix), kind);
      assertFalse(KINDS.get(kind).apply(sibling).startsWith(prefix), kind);
    }
  }

  @Test
  void draftTombstoneExtendsDraft() {
    String draft = KvKeys.draft("acme", "prod", "resize", "d1234567");
    String tombstone = KvKeys.draftTombstone("acme", "prod", "resize", "d1234567");
    assertTrue(tombstone.startsWith(draft + ":"), tombstone);
    assertNotEquals(draft, tombstone);
    assertNotEquals(tombstone, KvKeys.draft("acme", "prod", "resize", "d1234568"));
  }

  @Test
  void activationLogsExtendTheActivation() {
    String activation = KvKeys.activation("acme", "prod", "abcdefgh");
    assertTrue(KvKeys.activationLogs("acme", "prod", "abcdefgh", 0).startsWith(activation + ":"));
    assertNotEquals(KvKeys.activationLogs("acme", "prod", "abcdefgh", 1),
        KvKeys.activationLogs("acme", "prod", "abcdefgh", 10));
  }

  @Test
  void secretKeysStayInTheirNamespaceAndOutOfFunctionKeys() {
    String namespacePrefix = "cs:t:n:";
    String secret = KvKeys.secret("t", "n", "fn");
    assertTrue(secret.startsWith(namespacePrefix), secret);
    assertFalse(secret.startsWith(KvKeys.function("t", "n", "secret") + ":"), secret);
    assertNotEquals(KvKeys.secret("t", "n", "s"), KvKeys.secret("t", "n-s", "s"));
    assertNotEquals(KvKeys.secretIndex("t", "n"), KvKeys.secret("t", "n", "s"));
    assertFalse(KvKeys.secret("t", "n-x", "s").startsWith(namespacePrefix));
  }

  @Test
  void acceptedRequestsSortByPublicationTimeUnderOnePrefixAndNameTenantAndActivation() {
    List<String> published = new ArrayList<>(List.of(
        KvKeys.acceptedRequest("b", "n", 1_000_000, "act-1"),
        KvKeys.acceptedRequest("a", "n", 99, "act-2"),
        KvKeys.acceptedRequest("a", "n", 1_764_000_000_000L, "act-3"),
        KvKeys.acceptedRequest("a", "n", 200_000, "act-4")));
    published.sort(String::compareTo);
    assertEquals(List.of(
        KvKeys.acceptedRequest("a", "n", 99, "act-2"),
        KvKeys.acceptedRequest("a", "n", 200_000, "act-4"),
        KvKeys.acceptedRequest("b", "n", 1_000_000, "act-1"),
        KvKeys.acceptedRequest("a", "n", 1_764_000_000_000L, "act-3")), published);
    for (String key : published) {
      assertTrue(key.startsWith(KvKeys.acceptedRequestPrefix()), key);
    }
    assertEquals("cs:$platform:accepted-request:0001764000000000:acme:prod:act-3",
        KvKeys.acceptedRequest("acme", "prod", 1_764_000_000_000L, "act-3"));
    assertNotEquals(KvKeys.acceptedRequest("acme", "prod", 5, "act"), KvKeys.acceptedRequest("acme", "prod", 6, "act"));
    assertFalse(KvKeys.legacyAcceptedRegistry().startsWith(KvKeys.acceptedRequestPrefix()));
  }

  @Test
  void fixturesAreValidNames() {
    for (String n : NAMES) {
      Names.requireName("n", n);
    }
  }
}
