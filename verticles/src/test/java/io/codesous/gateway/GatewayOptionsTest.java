package io.codesous.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayOptionsTest {

  @Test
  void aNegativeWaitMarginIsRefusedNamingTheField() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new GatewayOptions().setWaitMarginMs(-1));
    assertTrue(refused.getMessage().startsWith("waitMarginMs "), refused.getMessage());
  }

  @Test
  void theJsonFormGetsTheSameCheck() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new GatewayOptions(new JsonObject().put("waitMarginMs", -5)));
    assertTrue(refused.getMessage().startsWith("waitMarginMs "), refused.getMessage());
  }

  @Test
  void noMarginIsAllowed() {
    // zero ends the wait at the function's deadline: legitimate for callers that poll anyway
    assertEquals(0, new GatewayOptions().setWaitMarginMs(0).getWaitMarginMs());
    assertEquals(0, new GatewayOptions(new JsonObject().put("waitMarginMs", 0)).getWaitMarginMs());
  }

  @Test
  void jsonRoundTrips() {
    GatewayOptions options = new GatewayOptions().setWaitMs(5_000).setWaitMarginMs(500).setMaxBodyBytes(2048)
        .setRefCacheTtlMs(0);
    assertEquals(options.toJson(), new GatewayOptions(options.toJson()).toJson());
  }

  @Test
  void aWebHostSuffixMustBeALowerCaseDnsNameOfTwoLabelsOrMore() {
    for (String bad : new String[] {"", "localhost", "Fn.Example.com", ".fn.example.com", "fn..example.com",
        "fn.example.com.", "*.example.com", "fn.example.com/x"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> new GatewayOptions().setWebHostSuffix(bad), bad);
      assertTrue(refused.getMessage().startsWith("webHostSuffix "), refused.getMessage());
    }
    assertEquals("fn.example.com", new GatewayOptions(new JsonObject().put("webHostSuffix", "fn.example.com"))
        .getWebHostSuffix());
    assertEquals(null, new GatewayOptions().getWebHostSuffix(), "routing by path only unless configured");
  }
}
