package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.gateway.GatewayOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions written the way agents write them, through the embedded platform's real gateway: a Hono app bundled by
 * esbuild, an npm bundle of uuid, nanoid, jose and date-fns, one of hash-wasm (WebAssembly), and fetch() meeting the
 * egress policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WebFunctionsTest {

  private static final String NS = "/v1/tenants/acme/namespaces/default";

  @TempDir
  static Path dataDir;

  RunningPlatform running;
  Platform platform;
  TestHttp http;

  @BeforeAll
  void start() throws Exception {
    PlatformOptions options = new PlatformOptions()
        .setPort(0)
        .setDataDir(dataDir.toString())
        .setGateway(new GatewayOptions().setWaitMs(60_000));
    running = RunningPlatform.start(options);
    platform = running.platform();
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    running.close();
  }

  private static JsonObject manifest() {
    // A first invoke evaluates a whole bundle on a cold engine of a busy machine.
    return new JsonObject().put("limits", new JsonObject().put("timeoutMs", 30_000));
  }

  /** Deploys {@code bundles/dist/<bundle>.mjs} as a new function published as {@code prod}; answers its name. */
  private String deployedBundle(String prefix, String bundle, JsonObject manifest) {
    String name = EmbeddedPlatformTest.unique(prefix);
    EmbeddedPlatformTest.deploy(http, name, new JsonObject().put("index.mjs", NpmBundles.read(bundle)), manifest,
        "prod");
    return name;
  }

  @Test
  void aHonoAppRunsUnmodifiedAndRoutesThroughTheGateway() {
    String name = deployedBundle("hono", "hono-app",
        manifest().put("env", new JsonObject().put("GREETING", "hello from the manifest")));
    String base = EmbeddedPlatformTest.web(name, "prod");

    HttpResponse<String> root = http.get(base + "/");
    assertEquals(200, root.statusCode(), root.body());
    assertEquals("hono root", root.body());
    assertTrue(root.headers().firstValue("content-type").orElse("").startsWith("text/plain"));

    HttpResponse<String> hello = http.get(base + "/hello/ada?q=x%20y");
    assertEquals(200, hello.statusCode(), hello.body());
    assertEquals(new JsonObject().put("hello", "ada").put("q", "x y"), new JsonObject(hello.body()));

    HttpResponse<String> echo = http.send("POST", base + "/echo", "application/json", "{\"n\":[1,2]}", Map.of());
    assertEquals(201, echo.statusCode(), echo.body());
    assertEquals(new JsonObject().put("received", new JsonObject().put("n", new JsonArray().add(1).add(2))),
        new JsonObject(echo.body()));

    HttpResponse<String> env = http.get(base + "/env");
    assertEquals("hello from the manifest", env.body());

    HttpResponse<String> missing = http.get(base + "/nowhere");
    assertEquals(404, missing.statusCode(), missing.body());
  }

  @Test
  void aModuleWrittenForNodeImportsBufferProcessAndCryptoReadsTheManifestEnvAtItsTopLevel() throws Exception {
    String name = EmbeddedPlatformTest.unique("node-style");
    String code = """
        import { Buffer } from 'node:buffer';
        import process from 'node:process';
        import { createHash } from 'node:crypto';
        const greeting = process.env.GREETING;
        export const handler = async () => ({
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ greeting, encoded: Buffer.from(greeting).toString('base64url'),
              sha256: createHash('sha256').update(greeting).digest('hex'), names: Object.keys(process.env) }),
        });
        """;
    EmbeddedPlatformTest.deploy(http, name, new JsonObject().put("index.mjs", code),
        manifest().put("env", new JsonObject().put("GREETING", "hello from the manifest")), "prod");

    HttpResponse<String> response = http.get(EmbeddedPlatformTest.web(name, "prod"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(new JsonObject().put("greeting", "hello from the manifest")
            .put("encoded", Base64.getUrlEncoder().withoutPadding().encodeToString(
                "hello from the manifest".getBytes(StandardCharsets.UTF_8)))
            .put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("hello from the manifest".getBytes(StandardCharsets.UTF_8))))
            .put("names", new JsonArray().add("GREETING")),
        new JsonObject(response.body()));
  }

  @Test
  void anNpmBundleBuiltForNodeJsRequiresNodesModulesThroughItsBannersCreateRequire() throws Exception {
    String name = deployedBundle("nodelibs", "node-libraries", manifest());
    String value = "user=ada";
    String secret = "tobiiscool";

    HttpResponse<String> response = http.send("POST", EmbeddedPlatformTest.web(name, "prod"), "application/json",
        new JsonObject().put("value", value).put("secret", secret).encode(), Map.of());

    assertEquals(200, response.statusCode(), response.body());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signed = value + "." + Base64.getEncoder().withoutPadding()
        .encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    assertEquals(new JsonObject().put("signed", signed).put("unsigned", value).put("tampered", false)
            .put("safeBuffer", new JsonArray().add(true)
                .add(HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8))))
            .put("hits", new JsonArray().add("/hits/a#1").add("/hits/b#2")),
        new JsonObject(response.body()));
  }

  @Test
  void anNpmBundleBuiltForNodeJsSplitsAStreamWithSplit2AndReadsHonosContextStorageAfterItsAwaits() throws Exception {
    String name = deployedBundle("nodestreams", "node-streams", manifest());

    HttpResponse<String> response = http.send("POST", EmbeddedPlatformTest.web(name, "prod") + "/lines",
        "text/plain", "alpha\nbeta\r\ngamma\n", Map.of("x-request-id", "req-7"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(new JsonObject().put("lines", new JsonArray().add("alpha").add("beta").add("gamma"))
        .put("requestId", "req-7"), new JsonObject(response.body()));
  }

  @Test
  void anNpmBundleBuiltForNodeJsWritesAndReadsPngsWithPngjsAndGzipsThroughNodeZlib() throws Exception {
    String name = deployedBundle("nodezlib", "node-zlib", manifest());
    String base = EmbeddedPlatformTest.web(name, "prod");

    // pngjs writes the image with zlib.deflateSync; the JDK's own PNG reader decodes it
    HttpResponse<String> written = http.send("POST", base + "/png", "application/json",
        new JsonObject().put("width", 3).put("height", 2).put("rgba", new JsonArray().add(10).add(200).add(30)
            .add(255)).encode(), Map.of());
    assertEquals(200, written.statusCode(), written.body());
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(
        Base64.getDecoder().decode(new JsonObject(written.body()).getString("png"))));
    assertEquals(List.of(3, 2, 0xff0ac81e), List.of(image.getWidth(), image.getHeight(), image.getRGB(2, 1)));

    // and reads one the JDK wrote through zlib.createInflate's stream
    BufferedImage made = new BufferedImage(4, 5, BufferedImage.TYPE_INT_ARGB);
    made.setRGB(0, 0, 0xff112233);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(made, "png", png);
    HttpResponse<String> read = http.send("POST", base + "/png/inspect", "application/json",
        new JsonObject().put("png", Base64.getEncoder().encodeToString(png.toByteArray())).encode(), Map.of());
    assertEquals(200, read.statusCode(), read.body());
    assertEquals(new JsonObject().put("width", 4).put("height", 5)
        .put("first", new JsonArray().add(0x11).add(0x22).add(0x33).add(0xff)), new JsonObject(read.body()));

    // a body gzipped at once and through a stream, each read back by the JDK's gzip reader
    String text = "line of a log that compresses well\n".repeat(300);
    HttpResponse<String> gzipped = http.send("POST", base + "/gzip", "text/plain", text, Map.of());
    assertEquals(200, gzipped.statusCode(), gzipped.body());
    JsonObject answer = new JsonObject(gzipped.body());
    for (String form : List.of("once", "streamed")) {
      byte[] bytes = Base64.getDecoder().decode(answer.getString(form));
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        assertEquals(text, new String(in.readAllBytes(), StandardCharsets.UTF_8), form);
      }
      assertEquals(true, bytes.length < text.length() / 10, form + ": " + bytes.length + " bytes");
    }
  }

  @Test
  void anNpmBundleOfUuidNanoidJoseAndDateFnsVerifiesJwtsWithWebCrypto() throws Exception {
    String name = deployedBundle("libs", "web-libraries", manifest());
    String secret = "a-shared-secret-of-32-bytes-long!";
    String hs256 = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"hs-user\",\"iss\":\"code-sous-test\"}",
        input -> {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
          return mac.doFinal(input);
        });
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    String es256 = jwt("{\"alg\":\"ES256\"}", "{\"sub\":\"es-user\"}", input -> {
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(pair.getPrivate());
      signer.update(input);
      return signer.sign();
    });
    ECPublicKey key = (ECPublicKey) pair.getPublic();
    JsonObject jwk = new JsonObject().put("kty", "EC").put("crv", "P-256")
        .put("x", b64url(unsigned(key.getW().getAffineX()))).put("y", b64url(unsigned(key.getW().getAffineY())));
    String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
            pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    JsonObject body = new JsonObject().put("secret", secret).put("hs256", hs256).put("es256", es256).put("jwk", jwk)
        .put("pkcs8", pkcs8);

    HttpResponse<String> response = http.send("POST", EmbeddedPlatformTest.web(name, "prod"), "application/json",
        body.encode(), Map.of());
    assertEquals(200, response.statusCode(), response.body());
    JsonObject result = new JsonObject(response.body());
    assertEquals(new JsonArray().add(true).add(4).add(true).add(7).add(true), result.getJsonArray("uuid"));
    assertEquals(new JsonArray().add(21).add(true).add(""), result.getJsonArray("nanoid"));
    assertEquals(new JsonArray().add("hs-user").add("HS256").add("es-user").add("ES256")
        .add("ERR_JWS_SIGNATURE_VERIFICATION_FAILED").add(1), result.getJsonArray("jose"));
    assertEquals(new JsonArray().add("2024-03-01").add(3).add("Tuesday 27 February 2024"),
        result.getJsonArray("dateFns"));
    // signed inside with the private key, verified here with its public half
    String[] signedInside = result.getJsonArray("joseKeys").getString(0).split("\\.");
    assertEquals("{\"alg\":\"ES256\"}", new String(Base64.getUrlDecoder().decode(signedInside[0]),
        StandardCharsets.UTF_8));
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(pair.getPublic());
    verifier.update((signedInside[0] + "." + signedInside[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(verifier.verify(Base64.getUrlDecoder().decode(signedInside[2])), "the ES256 JWT signed inside verifies");
    assertEquals("sealed", result.getJsonArray("joseKeys").getString(1), "the JWE opens with its AES-GCM key");
    assertEquals(5, result.getJsonArray("joseKeys").getInteger(2));
    // key pairs generated inside: an EdDSA JWT verified here with the public key the function exported as PEM
    JsonArray pairs = result.getJsonArray("josePairs");
    String[] edSigned = pairs.getString(0).split("\\.");
    String pem = pairs.getString(1).replaceAll("-----[A-Z ]+-----|\\s", "");
    Signature ed = Signature.getInstance("Ed25519");
    ed.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
        Base64.getDecoder().decode(pem))));
    ed.update((edSigned[0] + "." + edSigned[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(ed.verify(Base64.getUrlDecoder().decode(edSigned[2])), "the EdDSA JWT signed inside verifies");
    assertEquals("Ed25519", pairs.getString(2));
    assertEquals("ECDH-ES sealed", pairs.getString(3), "a JWE sealed to a generated P-256 key opens");
    assertEquals("ECDH-ES sealed", pairs.getString(4), "and to an X25519 key");
    assertEquals("RSA-OAEP-256 sealed", pairs.getString(5), "and to an RSA-OAEP key");
    assertEquals("ECDH-ES+A256KW sealed", pairs.getString(6), "and to a P-256 key through a wrapped AES key");
    assertEquals("PBES2 sealed", pairs.getString(7), "and with a password");
  }

  /** GraalWasm needs Java 21; scripts/jit-tests.sh runs this on the JDK 25. */
  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void anNpmPackageThatRunsWebAssemblyHashesWhatTheJdkHashes() throws Exception {
    String name = deployedBundle("wasm", "wasm-libraries", manifest());
    String text = "code-sous runs WebAssembly \u00e9\u2603";
    int bigLength = 3_000_000;
    HttpResponse<String> response = http.send("POST", EmbeddedPlatformTest.web(name, "prod"), "application/json",
        new JsonObject().put("text", text).put("bigLength", bigLength).encode(), Map.of());
    assertEquals(200, response.statusCode(), response.body());
    JsonObject result = new JsonObject(response.body());
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertEquals(hex(MessageDigest.getInstance("SHA-256").digest(utf8)), result.getString("sha256"));
    assertEquals(hex(MessageDigest.getInstance("SHA-1").digest(utf8)), result.getString("sha1"));
    // a 3 MB input grows the module's memory past its initial pages
    assertEquals(hex(MessageDigest.getInstance("SHA-256").digest("x".repeat(bigLength).getBytes(
        StandardCharsets.US_ASCII))), result.getString("sha256Big"));
    // the published check values of BLAKE3, XXH64 (seed 0) and CRC-32
    assertEquals("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", result.getString("blake3Empty"));
    assertEquals("ef46db3751d8e999", result.getString("xxhash64Empty"));
    assertEquals("cbf43926", result.getString("crc32Check"));
    // an Argon2id hash with 4 MiB of the module's memory, verified with the right password only
    assertEquals(new JsonArray().add(true).add(true).add(false), result.getJsonArray("argon2"));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void fetchIsRefusedForLoopbackAndMetadataAddressesLikeCsHttpFetchAndNodeHttp() {
    String name = EmbeddedPlatformTest.unique("fetch");
    String code = """
        import http from 'node:http';
        const outcome = (p) => p.then((r) => 'reached ' + r.status,
            (e) => e.constructor.name + ' ' + (e.cause ? e.cause.code : e.code));
        const viaNodeHttp = (url) => new Promise((resolve, reject) => http.get(url, (res) => {
          res.resume();
          resolve({status: res.statusCode});
        }).on('error', reject));
        export async function handler() {
          const results = [];
          for (const url of ['http://127.0.0.1:%d/healthz', 'http://169.254.169.254/latest/meta-data/',
              'http://localhost:%d/healthz']) {
            results.push(await outcome(fetch(url)), await outcome(cs.http.fetch(url)),
                await outcome(viaNodeHttp(url)));
          }
          return {statusCode: 200, body: results.join('\\n')};
        }
        """.formatted(platform.port(), platform.port());
    EmbeddedPlatformTest.deploy(http, name, EmbeddedPlatformTest.source(code), manifest().put("capabilities",
        new JsonObject().put("http", new JsonObject().put("allow",
            new JsonArray().add("127.0.0.1").add("169.254.169.254").add("localhost")))), "prod");
    HttpResponse<String> response = http.get(EmbeddedPlatformTest.web(name, "prod"));
    assertEquals(200, response.statusCode(), response.body());
    String[] lines = response.body().split("\n");
    assertEquals(9, lines.length, response.body());
    for (int i = 0; i < lines.length; i += 3) {
      assertEquals("TypeError CS_CAPABILITY_DENIED", lines[i], response.body());
      assertEquals("Error CS_CAPABILITY_DENIED", lines[i + 1], response.body());
      assertEquals("Error CS_CAPABILITY_DENIED", lines[i + 2], response.body());
    }
  }

  private interface Signer {
    byte[] sign(byte[] input) throws Exception;
  }

  private static String jwt(String header, String payload, Signer signer) throws Exception {
    String input = b64url(header.getBytes(StandardCharsets.UTF_8)) + "." + b64url(payload.getBytes(StandardCharsets.UTF_8));
    return input + "." + b64url(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String b64url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
    return out;
  }
}
