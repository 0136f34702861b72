package io.codesous.platform;

import io.codesous.auth.audit.AuditSink;
import io.codesous.auth.audit.FileAuditSink;
import io.codesous.auth.authz.Authorizer;
import io.codesous.auth.authz.RolePolicy;
import io.codesous.auth.secret.SecretBox;
import io.codesous.auth.token.AdminToken;
import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.codesous.auth.token.OwnerOnlyFiles;
import io.codesous.auth.token.TokenVerifier;
import io.codesous.auth.token.TokenVerifierOptions;
import io.codesous.codeq.CodeQ;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The security half of the composition root: who is trusted to sign tokens, the role policy, where audit events go,
 * and the key secrets are encrypted with, all from {@link SecurityOptions}. Reading and creating key files blocks,
 * so {@link #create} does it on a worker thread.
 */
public final class Security {

  private final TokenVerifier verifier;
  private final Authorizer authorizer;
  private final AuditSink audit;
  private final SecretBox secretBox;
  private final LocalSigningKey localKey;
  private final AdminToken adminToken;

  private Security(TokenVerifier verifier, Authorizer authorizer, AuditSink audit, SecretBox secretBox,
                   LocalSigningKey localKey, AdminToken adminToken) {
    this.verifier = verifier;
    this.authorizer = authorizer;
    this.audit = audit;
    this.secretBox = secretBox;
    this.localKey = localKey;
    this.adminToken = adminToken;
  }

  /**
   * Fails with an {@link IllegalArgumentException} naming the setting when the configuration trusts no key or
   * defines roles wrongly, and with an {@link IOException} when a key file cannot be read or written.
   */
  public static Future<Security> create(Vertx vertx, PlatformOptions options, CodeQ codeq) {
    SecurityOptions security = options.getSecurity();
    Path dataDir = Path.of(options.getDataDir());
    return vertx.executeBlocking(() -> {
      Authorizer authorizer = new Authorizer(RolePolicy.fromJson(security.getRoles()));
      TokenVerifierOptions verifierOptions = new TokenVerifierOptions(security.getToken());
      LocalSigningKey localKey = null;
      AdminToken adminToken = null;
      if (security.isLocalKey()) {
        localKey = LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions()
            .setDataDir(dataDir.toString())
            .setIssuer(verifierOptions.getIssuer())
            .setAudience(verifierOptions.getAudience()));
        verifierOptions.setJwks(withKeys(verifierOptions.getJwks(), localKey.publicJwkSet()));
      } else if (!verifierOptions.hasKeySource()) {
        throw new IllegalArgumentException("auth: no key to verify tokens with; set auth.token.jwks, "
            + "auth.token.publicKeysPem or auth.token.jwksUrl, or auth.localKey: true");
      }
      SecretBox secretBox = SecretBox.fromBase64Key(security.getSecretsKey() != null
          ? security.getSecretsKey() : secretsKey(dataDir.resolve(SecurityOptions.SECRETS_KEY_FILE)));
      AuditSink audit = !security.isAuditEnabled() ? AuditSink.NONE
          : SecurityOptions.AUDIT_CODEQ.equals(security.getAuditSink()) ? new CodeQAuditSink(codeq)
          : new FileAuditSink(vertx, security.getAuditFile() != null ? Path.of(security.getAuditFile())
              : dataDir.resolve(SecurityOptions.DEFAULT_AUDIT_FILE_NAME));
      return new Object[] {authorizer, verifierOptions, localKey, secretBox, audit};
    }).compose(parts -> {
      TokenVerifier verifier = TokenVerifier.create(vertx, (TokenVerifierOptions) parts[1]);
      LocalSigningKey localKey = (LocalSigningKey) parts[2];
      Future<AdminToken> admin = localKey == null ? Future.succeededFuture()
          : currentAdminToken(vertx, verifier, localKey);
      return admin.map(token -> new Security(verifier, (Authorizer) parts[0], (AuditSink) parts[4],
          (SecretBox) parts[3], localKey, token));
    });
  }

  /** The admin token on file while it is still accepted; else a new one, written in its place. */
  private static Future<AdminToken> currentAdminToken(Vertx vertx, TokenVerifier verifier, LocalSigningKey key) {
    Path file = key.adminTokenFile();
    return vertx.executeBlocking(() -> Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "")
        .compose(onFile -> onFile.isEmpty() ? Future.failedFuture("no admin token yet")
            : verifier.verify(onFile).map(principal -> onFile))
        .map(token -> new AdminToken(token, file, null))
        .recover(stale -> key.writeAdminToken(vertx));
  }

  private static JsonObject withKeys(JsonObject configured, JsonObject local) {
    if (configured == null) {
      return local.copy();
    }
    JsonArray keys = configured.getJsonArray("keys", new JsonArray()).copy();
    local.getJsonArray("keys").forEach(keys::add);
    return new JsonObject().put("keys", keys);
  }

  private static String secretsKey(Path file) throws IOException {
    if (!Files.exists(file)) {
      OwnerOnlyFiles.writeNew(file, SecretBox.generateBase64Key().getBytes(StandardCharsets.US_ASCII));
    } else {
      OwnerOnlyFiles.restrict(file);
    }
    return Files.readString(file, StandardCharsets.US_ASCII).trim();
  }

  public Future<Void> start() {
    return audit.start();
  }

  public Future<Void> stop() {
    return audit.stop().eventually(() -> verifier.close());
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  public Authorizer authorizer() {
    return authorizer;
  }

  public AuditSink audit() {
    return audit;
  }

  public SecretBox secretBox() {
    return secretBox;
  }

  /** The key of {@code auth.localKey}; {@code null} when tokens are verified with configured keys only. */
  public LocalSigningKey localKey() {
    return localKey;
  }

  /** The operator token in the data directory; {@code null} without a local key. */
  public AdminToken adminToken() {
    return adminToken;
  }

}
