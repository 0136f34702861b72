package io.codesous.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EgressOptionsTest {

  @Test
  void defaults() {
    EgressOptions options = new EgressOptions();
    assertEquals(10_000, options.getTotalTimeoutMs());
    assertEquals(EgressOptions.DEFAULT_CONNECT_TIMEOUT_MS, options.getConnectTimeoutMs());
    assertEquals(6L * 1024 * 1024, options.getMaxResponseBytes());
    assertEquals(5, options.getMaxRedirects());
    assertEquals(Set.of(), options.getAllowedPorts());
  }

  @Test
  void jsonRoundTrip() {
    EgressOptions options = new EgressOptions()
        .setConnectTimeoutMs(1234)
        .setTotalTimeoutMs(5678)
        .setMaxResponseBytes(1000)
        .setMaxRequestBodyBytes(2000)
        .setMaxRedirects(2)
        .setMaxRequestHeaders(10)
        .setMaxRequestHeaderBytes(300)
        .setAllowedPorts(List.of(443, 80));
    JsonObject json = options.toJson();
    EgressOptions copy = new EgressOptions(new JsonObject(json.encode()));
    assertEquals(options, copy);
    assertEquals(json, copy.toJson());
    assertEquals(5678, copy.getTotalTimeoutMs());
    assertEquals(Set.of(80, 443), copy.getAllowedPorts());
    assertEquals(options, new EgressOptions(options));
  }

  @Test
  void missingJsonFieldsTakeDefaults() {
    assertEquals(new EgressOptions(), new EgressOptions(new JsonObject()));
    assertEquals(new EgressOptions().setMaxRedirects(0),
        new EgressOptions(new JsonObject().put("maxRedirects", 0)));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new EgressOptions().setTotalTimeoutMs(0));
    assertThrows(IllegalArgumentException.class, () -> new EgressOptions().setConnectTimeoutMs(-1));
    assertThrows(IllegalArgumentException.class, () -> new EgressOptions().setMaxRedirects(21));
    assertThrows(IllegalArgumentException.class, () -> new EgressOptions().setMaxResponseBytes(-1));
    assertThrows(IllegalArgumentException.class,
        () -> new EgressOptions().setAllowedPorts(List.of(0)));
    assertThrows(IllegalArgumentException.class,
        () -> new EgressOptions(new JsonObject().put("maxRedirects", -1)));
  }
}
