package io.codesous.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenSourceTest {

  @TempDir
  Path dir;

  Path dataDir;
  Path tokenFile;
  Map<String, String> env = Map.of(TokenSource.ENV_TOKEN, "from-env");

  @BeforeEach
  void files() throws Exception {
    dataDir = Files.createDirectory(dir.resolve("data"));
    Files.writeString(dataDir.resolve("admin.token"), "from-admin-file\n");
    tokenFile = Files.writeString(dir.resolve("token"), "  from-token-file \n");
  }

  String resolve(String option, Map<String, String> env, Path tokenFile) throws CliException {
    return TokenSource.resolve(option, env, tokenFile, dataDir).map(TokenSource.Token::value).orElse(null);
  }

  @Test
  void theOptionComesFirst() throws Exception {
    assertEquals("from-option", resolve("from-option", env, tokenFile));
  }

  @Test
  void thenTheEnvironment() throws Exception {
    assertEquals("from-env", resolve(null, env, tokenFile));
  }

  @Test
  void thenTheTokenFileTrimmed() throws Exception {
    assertEquals("from-token-file", resolve(null, Map.of(), tokenFile));
  }

  @Test
  void thenTheDataDirectorysAdminToken() throws Exception {
    Optional<TokenSource.Token> token = TokenSource.resolve(null, Map.of(), null, dataDir);
    assertEquals("from-admin-file", token.orElseThrow().value());
    assertEquals(dataDir.resolve("admin.token").toString(), token.orElseThrow().origin());
  }

  @Test
  void aBlankEnvironmentVariableCountsAsUnset() throws Exception {
    assertEquals("from-token-file", resolve(null, Map.of(TokenSource.ENV_TOKEN, "  "), tokenFile));
  }

  @Test
  void noSourceMeansNoToken() throws Exception {
    Files.delete(dataDir.resolve("admin.token"));
    assertTrue(TokenSource.resolve(null, Map.of(), null, dataDir).isEmpty());
  }

  @Test
  void aNamedTokenFileThatCannotBeReadIsBadInput() {
    CliException e = assertThrows(CliException.class, () -> resolve(null, Map.of(), dir.resolve("missing")));
    assertEquals(CliException.USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith("--token-file"), e.getMessage());
  }

  @Test
  void aTokenWithInnerWhitespaceIsRefusedNamingItsSource() {
    CliException e = assertThrows(CliException.class, () -> resolve("a b", env, null));
    assertTrue(e.getMessage().startsWith("--token"), e.getMessage());
    e = assertThrows(CliException.class, () -> resolve(null, Map.of(TokenSource.ENV_TOKEN, "a\r\nx: y"), null));
    assertTrue(e.getMessage().startsWith(TokenSource.ENV_TOKEN), e.getMessage());
  }

  @Test
  void anEmptyTokenFileIsRefused() throws Exception {
    Files.writeString(tokenFile, "\n");
    CliException e = assertThrows(CliException.class, () -> resolve(null, Map.of(), tokenFile));
    assertEquals(CliException.USAGE, e.exitCode());
  }
}
