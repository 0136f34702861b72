package io.codesous.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded mode's token issuer: one private key kept in the data directory.
 *
 * <p>The first start creates the key ({@link SigningAlgorithm#ES256} by default, or
 * {@link SigningAlgorithm#ED25519}) and writes it as a private JWK to
 * {@code <dataDir>/signing-key.jwk}, readable by its owner only ({@code 600}) where the file system
 * has POSIX permissions; later starts load the same key, so tokens minted before a restart stay
 * valid. Deleting the file and restarting revokes every token it ever signed.
 *
 * <p>The key id is the key's RFC 7638 thumbprint. {@link #verifierOptions()} gives the verifier
 * settings that accept exactly this key's tokens.
 *
 * <p>The operator (platform admin) is represented as subject {@value #ADMIN_SUBJECT}, tenant
 * {@code *} ({@link Principal#ALL_TENANTS}) and role {@code admin}; {@link #writeAdminToken}
 * writes such a token to {@code <dataDir>/admin.token} (also {@code 600}).
 *
 * <p>Loading and writing files block: call them at startup or through the {@link Vertx} overloads,
 * which run them on a worker thread. {@link #mint} is pure computation and safe on an event loop.
 */
public final class LocalSigningKey {

  public static final String KEY_FILE = "signing-key.jwk";
  public static final String ADMIN_TOKEN_FILE = "admin.token";
  public static final String ADMIN_SUBJECT = "admin";

  private static final Logger LOG = LoggerFactory.getLogger(LocalSigningKey.class);
  private static final Pattern TENANT_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");

  private final LocalSigningKeyOptions options;
  private final Path dataDir;
  private final JWK privateJwk;
  private final JWSAlgorithm jwsAlgorithm;
  private final JWSSigner signer;
  private final boolean created;

  private LocalSigningKey(LocalSigningKeyOptions options, JWK privateJwk, boolean created)
      throws GeneralSecurityException, JOSEException {
    this.options = new LocalSigningKeyOptions(options);
    this.dataDir = Path.of(options.getDataDir());
    this.privateJwk = privateJwk;
    this.created = created;
    if (privateJwk instanceof ECKey ec) {
      this.jwsAlgorithm = JWSAlgorithm.ES256;
      this.signer = new ECDSASigner(ec);
    } else {
      this.jwsAlgorithm = JWSAlgorithm.EdDSA;
      this.signer = new JdkEd25519Signer(Ed25519Keys.toPrivateKey(privateJwk.toOctetKeyPair()));
    }
  }

  /**
   * Loads the key from {@code <dataDir>/signing-key.jwk}, creating it first if the file does not
   * exist. Blocks on file I/O.
   *
   * @throws IOException when the file cannot be read or written, or holds no usable private key
   */
  public static LocalSigningKey loadOrCreate(LocalSigningKeyOptions options) throws IOException {
    Objects.requireNonNull(options, "options");
    Path keyFile = Path.of(options.getDataDir()).resolve(KEY_FILE);
    try {
      if (Files.exists(keyFile)) {
        if (OwnerOnlyFiles.restrict(keyFile)) {
          LOG.warn("{} was readable by others; narrowed to 600", keyFile);
        }
        return new LocalSigningKey(options, parseKeyFile(keyFile), false);
      }
      JWK created = generate(options.getAlgorithm());
      if (!OwnerOnlyFiles.writeNew(keyFile, created.toJSONString().getBytes(StandardCharsets.UTF_8))) {
        // Another process sharing the directory created it first: use that one, as it does.
        return new LocalSigningKey(options, parseKeyFile(keyFile), false);
      }
      LOG.info("created signing key {} ({}) in {}",
          created.getKeyID(), options.getAlgorithm(), keyFile);
      return new LocalSigningKey(options, created, true);
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IOException("signing key in " + keyFile + " is unusable: " + e.getMessage(), e);
    }
  }

  /** {@link #loadOrCreate(LocalSigningKeyOptions)} on a worker thread. */
  public static Future<LocalSigningKey> loadOrCreate(Vertx vertx, LocalSigningKeyOptions options) {
    return vertx.executeBlocking(() -> loadOrCreate(options));
  }

  /** Whether this start created the key (rather than loading it). */
  public boolean created() {
    return created;
  }

  public String keyId() {
    return privateJwk.getKeyID();
  }

  public SigningAlgorithm algorithm() {
    return privateJwk instanceof ECKey ? SigningAlgorithm.ES256 : SigningAlgorithm.ED25519;
  }

  public Path keyFile() {
    return dataDir.resolve(KEY_FILE);
  }

  public Path adminTokenFile() {
    return dataDir.resolve(ADMIN_TOKEN_FILE);
  }

  /** The public half as a JWK set ({@code {"keys":[…]}}), fit to serve as a JWKS document. */
  public JsonObject publicJwkSet() {
    return new JsonObject(new JWKSet(privateJwk.toPublicJWK()).toJSONObject(true));
  }

  /** Verifier settings that accept this key's tokens: its public key, issuer and audience. */
  public TokenVerifierOptions verifierOptions() {
    return new TokenVerifierOptions()
        .setIssuer(options.getIssuer())
        .setAudience(options.getAudience())
        .setJwks(publicJwkSet());
  }

  /** Mints a user token. */
  public String mint(String subject, String tenant, Set<String> roles, Duration ttl) {
    return mint(subject, tenant, roles, PrincipalKind.USER, ttl);
  }

  /**
   * Mints a token: {@code iss}, {@code aud}, {@code sub}, {@code iat}, {@code nbf} (both now),
   * {@code exp} (now + ttl), a random {@code jti}, and the tenant, roles and kind claims under
   * their default names; the header carries {@code kid} and {@code typ: JWT}.
   *
   * @param tenant a tenant name, or {@code *} for a platform-wide principal
   */
  public String mint(String subject, String tenant, Set<String> roles, PrincipalKind kind, Duration ttl) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    if (tenant == null || !(Principal.ALL_TENANTS.equals(tenant) || TENANT_NAME.matcher(tenant).matches())) {
      throw new IllegalArgumentException("tenant must be a tenant name or *");
    }
    Objects.requireNonNull(roles, "roles");
    Objects.requireNonNull(kind, "kind");
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(options.getIssuer())
        .audience(options.getAudience())
        .subject(subject)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString())
        .claim(TokenVerifierOptions.DEFAULT_TENANT_CLAIM, tenant)
        .claim(TokenVerifierOptions.DEFAULT_ROLES_CLAIM, List.copyOf(new TreeSet<>(roles)))
        .claim(TokenVerifierOptions.DEFAULT_KIND_CLAIM, kind.id())
        .build();
    JWSHeader header = new JWSHeader.Builder(jwsAlgorithm)
        .keyID(privateJwk.getKeyID())
        .type(JOSEObjectType.JWT)
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /** An operator token: subject {@value #ADMIN_SUBJECT}, tenant {@code *}, role {@code admin}. */
  public String mintAdminToken(Duration ttl) {
    return mint(ADMIN_SUBJECT, Principal.ALL_TENANTS, Set.of(Principal.ADMIN_ROLE), PrincipalKind.USER, ttl);
  }

  /**
   * Mints an operator token valid for the configured {@code adminTokenTtlSeconds} and writes it to
   * {@code <dataDir>/admin.token} ({@code 600}), replacing an older one. Blocks on file I/O.
   */
  public AdminToken writeAdminToken() throws IOException {
    return writeAdminToken(Duration.ofSeconds(options.getAdminTokenTtlSeconds()));
  }

  /** As {@link #writeAdminToken()} with an explicit lifetime. */
  public AdminToken writeAdminToken(Duration ttl) throws IOException {
    Instant expiresAt = Instant.now().plus(ttl);
    String token = mintAdminToken(ttl);
    OwnerOnlyFiles.write(adminTokenFile(), (token + "\n").getBytes(StandardCharsets.UTF_8));
    return new AdminToken(token, adminTokenFile(), expiresAt);
  }

  /** {@link #writeAdminToken()} on a worker thread. */
  public Future<AdminToken> writeAdminToken(Vertx vertx) {
    return vertx.executeBlocking(this::writeAdminToken);
  }

  private static JWK parseKeyFile(Path keyFile) throws IOException, GeneralSecurityException, JOSEException {
    JWK jwk;
    try {
      jwk = JWK.parse(Files.readString(keyFile, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new GeneralSecurityException("not a JWK: " + e.getMessage(), e);
    }
    if (!jwk.isPrivate()) {
      throw new GeneralSecurityException("the JWK holds no private key");
    }
    boolean es256 = jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
    boolean ed25519 = jwk instanceof OctetKeyPair okp && Ed25519Keys.isEd25519(okp);
    if (!es256 && !ed25519) {
      throw new GeneralSecurityException("neither an EC P-256 nor an Ed25519 key");
    }
    if (jwk.getKeyID() == null) {
      jwk = withKeyId(jwk, jwk.computeThumbprint().toString());
    }
    return jwk;
  }

  private static JWK generate(SigningAlgorithm algorithm) throws GeneralSecurityException, JOSEException {
    if (algorithm == SigningAlgorithm.ES256) {
      return new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyIDFromThumbprint(true)
          .generate();
    }
    OctetKeyPair raw = Ed25519Keys.toPrivateJwk(KeyPairGenerator.getInstance(Ed25519Keys.JCA_NAME).generateKeyPair());
    return new OctetKeyPair.Builder(raw)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.EdDSA)
        .keyIDFromThumbprint()
        .build();
  }

  private static JWK withKeyId(JWK jwk, String kid) {
    if (jwk instanceof ECKey ec) {
      return new ECKey.Builder(ec).keyID(kid).build();
    }
    return new OctetKeyPair.Builder(jwk.toOctetKeyPair()).keyID(kid).build();
  }
}
