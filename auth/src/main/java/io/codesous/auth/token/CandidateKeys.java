package io.codesous.auth.token;

import com.nimbusds.jose.proc.SecurityContext;

import java.security.Key;
import java.util.List;

/**
 * The keys already chosen for one token, handed to the JWT processor as its security context.
 *
 * <p>Key lookup may need a network fetch, which the processor's synchronous key selector must not
 * do; so the verifier looks the keys up first (asynchronously) and the selector only returns them.
 */
record CandidateKeys(List<Key> keys) implements SecurityContext {

  static CandidateKeys of(List<VerificationKey> verificationKeys) {
    return new CandidateKeys(verificationKeys.stream().map(k -> (Key) k.publicKey()).toList());
  }
}
