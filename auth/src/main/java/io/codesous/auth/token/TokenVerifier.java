package io.codesous.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.codesous.auth.AuthenticationException;
import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Tikti tokens (signed JWTs) and turns them into {@link Principal}s.
 *
 * <p>A token is accepted only if all of these hold:
 *
 * <ul>
 *   <li>it is a compact JWS no longer than {@code maxTokenLength}, signed with {@code RS256},
 *       {@code ES256} or {@code EdDSA}/{@code Ed25519} (so never {@code none}, never HMAC);
 *   <li>the signature verifies with a configured or fetched key whose type fits the algorithm and
 *       whose id equals the header's {@code kid} (a token without {@code kid} is tried against every
 *       key of the right type);
 *   <li>{@code iss} equals the configured issuer, {@code aud} contains the configured audience;
 *   <li>{@code exp} is present and not past, {@code nbf} (if present) not ahead, both with the
 *       configured clock skew;
 *   <li>{@code sub} and the tenant claim are present; the tenant is a tenant name or {@code *}; the
 *       roles claim, if present, is an array of strings or a space-separated string; the kind claim,
 *       if present, is {@code user} or {@code service}.
 * </ul>
 *
 * <p>Every refusal is the same {@link AuthenticationException}; the reason is logged at DEBUG.
 *
 * <p>An accepted token is remembered ({@link AcceptedTokens}) and not checked again until its expiry or the
 * configured time to live, whichever is sooner.
 *
 * <p>{@link #verify} never blocks: a token signed with a known key is checked on the calling thread
 * (a signature check costs tens to a few hundred microseconds) and the returned future is already
 * complete; a token that needs the JWK set fetched completes later, on the caller's Vert.x context.
 */
public final class TokenVerifier {

  private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

  /** Tenant names as the API defines them; {@code *} is handled separately. */
  private static final Pattern TENANT_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");
  private static final String BEARER_PREFIX = "bearer ";

  private final Vertx vertx;
  private final TokenVerifierOptions options;
  private final List<VerificationKey> staticKeys;
  private final JwksKeySource jwks;
  private final DefaultJWTProcessor<CandidateKeys> processor;
  private final AcceptedTokens accepted;

  private TokenVerifier(Vertx vertx, TokenVerifierOptions options, LongSupplier nanoClock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = new TokenVerifierOptions(Objects.requireNonNull(options, "options"));
    if (!this.options.hasKeySource()) {
      throw new IllegalArgumentException("no key source: set jwks, publicKeysPem or jwksUrl");
    }
    List<VerificationKey> keys = new ArrayList<>();
    if (this.options.getJwks() != null) {
      keys.addAll(VerificationKeys.fromConfiguredJwks(this.options.getJwks()));
    }
    for (String pem : this.options.getPublicKeysPem()) {
      keys.addAll(VerificationKeys.fromPem(pem));
    }
    this.staticKeys = List.copyOf(keys);
    this.jwks = this.options.getJwksUrl() == null ? null : new JwksKeySource(vertx, this.options, nanoClock);
    this.processor = newProcessor(this.options);
    this.accepted = new AcceptedTokens(this.options.getAcceptedTokenCacheSize(),
        this.options.getAcceptedTokenCacheTtlSeconds() * 1000L, System::currentTimeMillis);
  }

  /**
   * A verifier for these options. Static keys are loaded now: a key that cannot be used is an
   * {@link IllegalArgumentException} here rather than a refused token later.
   */
  public static TokenVerifier create(Vertx vertx, TokenVerifierOptions options) {
    return new TokenVerifier(vertx, options, System::nanoTime);
  }

  /** As {@link #create}, with the clock that paces JWKS fetches supplied (tests step it by hand). */
  static TokenVerifier create(Vertx vertx, TokenVerifierOptions options, LongSupplier nanoClock) {
    return new TokenVerifier(vertx, options, nanoClock);
  }

  /**
   * Verifies a compact JWT.
   *
   * @return the principal, or a failed future holding an {@link AuthenticationException}
   */
  public Future<Principal> verify(String token) {
    Principal known = token == null ? null : accepted.get(token);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    SignedJWT jwt;
    try {
      jwt = screen(token);
    } catch (Refusal refusal) {
      return refuse(refusal.getMessage());
    }
    JWSHeader header = jwt.getHeader();
    List<VerificationKey> candidates = VerificationKeys.fitting(staticKeys, header);
    if (!candidates.isEmpty() || jwks == null) {
      return check(jwt, candidates);
    }
    Context caller = Vertx.currentContext();
    Future<Principal> checked = jwks.keys()
        .compose(fetched -> {
          List<VerificationKey> fitting = VerificationKeys.fitting(fetched, header);
          return fitting.isEmpty()
              ? jwks.refreshForUnknownKey().map(refetched -> VerificationKeys.fitting(refetched, header))
              : Future.succeededFuture(fitting);
        })
        .compose(fitting -> check(jwt, fitting));
    return onContext(caller, checked);
  }

  /**
   * Verifies the token of an {@code Authorization: Bearer <token>} header value. A missing header or
   * another scheme is refused like a bad token.
   */
  public Future<Principal> verifyAuthorizationHeader(String headerValue) {
    if (headerValue == null || headerValue.length() <= BEARER_PREFIX.length()
        || !headerValue.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
      return refuse(headerValue == null ? "missing authorization header"
          : "authorization header is not Bearer credentials");
    }
    return verify(headerValue.substring(BEARER_PREFIX.length()).trim());
  }

  /** Releases the JWKS HTTP client, if any. */
  public Future<Void> close() {
    return jwks == null ? Future.succeededFuture() : jwks.close();
  }

  private SignedJWT screen(String token) throws Refusal {
    if (token == null || token.isBlank()) {
      throw new Refusal("empty token");
    }
    if (token.length() > options.getMaxTokenLength()) {
      throw new Refusal("token longer than " + options.getMaxTokenLength() + " characters");
    }
    SignedJWT jwt;
    try {
      // refuses anything but three-part JWS; an "alg":"none" header does not parse as a JWS header
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new Refusal("malformed: " + e.getMessage());
    }
    if (!VerificationKey.ACCEPTED_ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
      throw new Refusal("algorithm " + jwt.getHeader().getAlgorithm() + " not accepted");
    }
    return jwt;
  }

  private Future<Principal> check(SignedJWT jwt, List<VerificationKey> candidates) {
    if (candidates.isEmpty()) {
      return refuse("wrong key id: no key fits kid " + jwt.getHeader().getKeyID() + " (alg "
          + jwt.getHeader().getAlgorithm() + ")");
    }
    try {
      JWTClaimsSet claims = processor.process(jwt, CandidateKeys.of(candidates));
      Principal principal = toPrincipal(claims);
      // exp is required, so the claims verifier has checked it is there
      accepted.put(jwt.getParsedString(), principal,
          claims.getExpirationTime().getTime() + options.getClockSkewSeconds() * 1000L);
      return Future.succeededFuture(principal);
    } catch (BadJOSEException | JOSEException e) {
      return refuse(RefusalReasons.of(e, jwt, options));
    } catch (Refusal refusal) {
      return refuse(refusal.getMessage());
    } catch (RuntimeException unexpected) {
      // a library bug or an odd token must still end as the one generic refusal
      return refuse("verification failed: " + unexpected);
    }
  }

  private Principal toPrincipal(JWTClaimsSet claims) throws Refusal {
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new Refusal("blank subject");
    }
    Object tenant = claims.getClaim(options.getTenantClaim());
    if (!(tenant instanceof String tenantName)
        || !(Principal.ALL_TENANTS.equals(tenantName) || TENANT_NAME.matcher(tenantName).matches())) {
      throw new Refusal("tenant claim missing or not a tenant name");
    }
    return new Principal(subject, tenantName, roles(claims.getClaim(options.getRolesClaim())),
        kind(claims.getClaim(options.getKindClaim())), claims.getJWTID());
  }

  private static Set<String> roles(Object claim) throws Refusal {
    Set<String> roles = new LinkedHashSet<>();
    if (claim == null) {
      return roles;
    }
    if (claim instanceof String spaceSeparated) {
      for (String role : spaceSeparated.trim().split("\\s+")) {
        if (!role.isEmpty()) {
          roles.add(role);
        }
      }
      return roles;
    }
    if (claim instanceof List<?> list) {
      for (Object role : list) {
        if (!(role instanceof String name) || name.isBlank()) {
          throw new Refusal("roles claim holds a non-string");
        }
        roles.add(name);
      }
      return roles;
    }
    throw new Refusal("roles claim is neither an array nor a string");
  }

  private static PrincipalKind kind(Object claim) throws Refusal {
    if (claim == null) {
      return PrincipalKind.USER;
    }
    if (claim instanceof String name) {
      try {
        return PrincipalKind.fromId(name.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Refusal("unknown principal kind");
      }
    }
    throw new Refusal("kind claim is not a string");
  }

  private static <T> Future<T> refuse(String reason) {
    LOG.debug("token refused: {}", reason);
    return Future.failedFuture(new AuthenticationException(reason));
  }

  /**
   * Completes on the caller's context: the JWKS fetch completes on the event loop that ran it, and
   * a handler must not find itself running on another verticle's thread.
   */
  private static <T> Future<T> onContext(Context caller, Future<T> future) {
    if (caller == null || future.isComplete()) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> caller.runOnContext(v -> promise.handle(result)));
    return promise.future();
  }

  private static DefaultJWTProcessor<CandidateKeys> newProcessor(TokenVerifierOptions options) {
    DefaultJWTProcessor<CandidateKeys> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
        JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector((header, context) -> context.keys());
    processor.setJWSVerifierFactory(new AcceptedAlgorithmsVerifierFactory());
    DefaultJWTClaimsVerifier<CandidateKeys> claimsVerifier = new DefaultJWTClaimsVerifier<>(
        Set.of(options.getAudience()),
        new JWTClaimsSet.Builder().issuer(options.getIssuer()).build(),
        Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME, options.getTenantClaim()),
        null);
    claimsVerifier.setMaxClockSkew(options.getClockSkewSeconds());
    processor.setJWTClaimsSetVerifier(claimsVerifier);
    return processor;
  }

  /** One reason for refusing a token; never leaves this class. */
  private static final class Refusal extends Exception {
    Refusal(String reason) {
      super(reason, null, false, false);
    }
  }
}
