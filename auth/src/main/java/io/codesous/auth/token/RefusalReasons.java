package io.codesous.auth.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.util.Date;

/**
 * Names why the token library refused a token, in the words an operator searches the log for: {@code expired at
 * ...}, {@code bad signature}, {@code wrong audience ...}, {@code wrong issuer ...}; any other refusal keeps the
 * library's own message. The claims quoted come from the token the caller sent, so they say nothing the caller does
 * not know, and they only go to the server's log.
 */
final class RefusalReasons {

  private RefusalReasons() {
  }

  static String of(Exception refusal, SignedJWT jwt, TokenVerifierOptions options) {
    String message = String.valueOf(refusal.getMessage());
    JWTClaimsSet claims = claims(jwt);
    if (message.contains("Expired JWT")) {
      Date exp = claims == null ? null : claims.getExpirationTime();
      return exp == null ? "expired" : "expired at " + exp.toInstant();
    }
    if (message.contains("Invalid signature")) {
      return "bad signature";
    }
    if (message.contains("aud claim") || message.contains("audience rejected")) {
      return "wrong audience " + (claims == null ? "?" : claims.getAudience()) + ", expected " + options.getAudience();
    }
    if (message.contains("iss claim has value")) {
      return "wrong issuer " + (claims == null ? "?" : claims.getIssuer()) + ", expected " + options.getIssuer();
    }
    return message;
  }

  private static JWTClaimsSet claims(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException unreadable) {
      return null;
    }
  }
}
