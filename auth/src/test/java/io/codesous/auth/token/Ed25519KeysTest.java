package io.codesous.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The JDK-backed Ed25519 path against the published example of RFC 8037, appendix A. */
class Ed25519KeysTest {

  private static final String RFC_KEY = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
      + "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
      + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
  private static final String RFC_SIGNING_INPUT = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
  private static final String RFC_SIGNATURE =
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

  private static final JWSHeader HEADER = new JWSHeader(JWSAlgorithm.EdDSA);

  @Test
  void verifiesTheRfcExample() throws Exception {
    OctetKeyPair key = OctetKeyPair.parse(RFC_KEY);
    JdkEd25519Verifier verifier = new JdkEd25519Verifier(Ed25519Keys.toPublicKey(key.toPublicJWK()));
    byte[] input = RFC_SIGNING_INPUT.getBytes(StandardCharsets.US_ASCII);
    assertTrue(verifier.verify(HEADER, input, new Base64URL(RFC_SIGNATURE)));
    byte[] altered = input.clone();
    altered[altered.length - 1] ^= 1;
    assertFalse(verifier.verify(HEADER, altered, new Base64URL(RFC_SIGNATURE)));
    assertFalse(verifier.verify(HEADER, input, Base64URL.encode(new byte[10])));
  }

  @Test
  void signsExactlyAsTheRfcExample() throws Exception {
    OctetKeyPair key = OctetKeyPair.parse(RFC_KEY);
    JdkEd25519Signer signer = new JdkEd25519Signer(Ed25519Keys.toPrivateKey(key));
    // Ed25519 is deterministic: the same key and input give the published signature
    assertEquals(RFC_SIGNATURE, signer.sign(HEADER, RFC_SIGNING_INPUT.getBytes(StandardCharsets.US_ASCII)).toString());
  }

  @Test
  void convertsBothWaysWithoutChangingTheKey() throws Exception {
    OctetKeyPair key = OctetKeyPair.parse(RFC_KEY);
    OctetKeyPair back = Ed25519Keys.toPublicJwk(Ed25519Keys.toPublicKey(key));
    assertEquals(key.getX(), back.getX());
    // RFC 8037 appendix A.3
    assertEquals("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", back.computeThumbprint().toString());
  }
}
