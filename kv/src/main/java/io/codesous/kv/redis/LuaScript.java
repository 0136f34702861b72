package io.codesous.kv.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script shipped with this module, and the SHA-1 by which the server caches it.
 *
 * <p>The digest is computed here, the way the server computes it, so {@code EVALSHA} needs no
 * earlier {@code SCRIPT LOAD} reply to know what to ask for.
 */
record LuaScript(String name, String source, String sha1, String observedName) {

  static final LuaScript COMPARE_AND_SET = fromResource("compare-and-set.lua");
  static final LuaScript ALLOCATE_AND_WRITE = fromResource("allocate-and-write.lua");
  static final LuaScript COMPARE_AND_SET_EACH = fromResource("compare-and-set-each.lua");
  static final LuaScript INDEX_TRIM_BELOW = fromResource("index-trim-below.lua");

  static LuaScript fromResource(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("script missing from the class path: " + name);
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // what a CommandObserver is told: the script, not the EVALSHA that runs it
      return new LuaScript(name, source, sha1Hex(source), "script:" + name.replace(".lua", ""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + name, e);
    }
  }

  private static String sha1Hex(String source) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1", e);
    }
  }
}
