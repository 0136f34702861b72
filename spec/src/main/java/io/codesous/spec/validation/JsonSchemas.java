package io.codesous.spec.validation;

import io.codesous.spec.error.CsException;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON Schemas shipped in this module (resources {@code io/codesous/spec/schema}), loaded once.
 * They are the single source of truth: the same files are published as the contract and used to
 * validate.
 */
public final class JsonSchemas {

  public static final JsonSchemas MANIFEST = load("manifest.schema.json");
  public static final JsonSchemas INVOKE_V1 = load("invoke.v1.schema.json");
  public static final JsonSchemas RESULTS_V1 = load("results.v1.schema.json");

  private final String name;
  private final JsonObject schema;
  private final Validator validator;
  /** The same schema as a tree of checks, when it keeps to the keywords those cover; else {@code null}. */
  private final CompiledSchema compiled;
  /**
   * The schema's size keywords, checked before the general validator: they refuse an oversized input at the cost of
   * its counts. The compiled form needs none (its checks are linear already).
   */
  private final SizeBounds bounds;

  private JsonSchemas(String name, JsonObject schema) {
    this.name = name;
    this.schema = schema;
    // before the general validator sees it: it marks up the schema objects it is given
    this.compiled = compileIfCovered(schema.copy());
    this.bounds = compiled == null ? new SizeBounds(schema.copy()) : null;
    this.validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
        .setDraft(Draft.DRAFT202012)
        .setBaseUri("https://schemas.code-sous.io/")
        .setOutputFormat(OutputFormat.Basic));
  }

  private static CompiledSchema compileIfCovered(JsonObject schema) {
    try {
      return CompiledSchema.compile(schema);
    } catch (IllegalArgumentException | ClassCastException notCovered) {
      return null;
    }
  }

  /** Whether this schema is checked by its compiled form rather than by the general validator. */
  boolean isCompiled() {
    return compiled != null;
  }

  private static JsonSchemas load(String file) {
    return fromResource("/io/codesous/spec/schema/" + file);
  }

  /** Loads a schema shipped as a class path resource (absolute path), e.g. a component's config schema. */
  public static JsonSchemas fromResource(String resource) {
    try (InputStream in = JsonSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + resource);
      }
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      return new JsonSchemas(name, new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public JsonObject schema() {
    return schema.copy();
  }

  /**
   * Validates a document.
   *
   * @param root how the document is named in messages (e.g. {@code manifest})
   * @throws CsException {@code CS_VALIDATION_FAILED} naming the first invalid path, e.g.
   *                     {@code manifest.limits.timeoutMs}
   */
  public void validate(String root, Object document) {
    CompiledSchema.Failure oversized = bounds == null ? null : bounds.check(document);
    if (oversized != null) {
      throw CsException.validation(toPath(root, oversized.pointer()), oversized.reason());
    }
    if (compiled != null) {
      CompiledSchema.Failure failure = compiled.validate(document);
      if (failure != null) {
        throw CsException.validation(toPath(root, failure.pointer()), failure.reason());
      }
      return;
    }
    validateInterpreted(root, document);
  }

  /** {@link #validate}, always by the general validator: what the compiled form must agree with. */
  void validateInterpreted(String root, Object document) {
    OutputUnit result = validator.validate(document);
    if (Boolean.TRUE.equals(result.getValid())) {
      return;
    }
    OutputUnit first = firstLeaf(result);
    String path = toPath(root, first.getInstanceLocation());
    String reason = first.getError() == null ? "is invalid" : first.getError();
    throw CsException.validation(path, reason);
  }

  /**
   * Picks the most specific error: the deepest instance location, and there the deepest keyword
   * location (vert.x reports a generic "does not match schema" wrapper beside the real reason).
   */
  private static OutputUnit firstLeaf(OutputUnit result) {
    List<OutputUnit> errors = result.getErrors();
    if (errors == null || errors.isEmpty()) {
      return result;
    }
    OutputUnit best = errors.get(0);
    for (OutputUnit e : errors) {
      int byInstance = Integer.compare(depth(e.getInstanceLocation()), depth(best.getInstanceLocation()));
      if (byInstance > 0 || (byInstance == 0 && depth(e.getKeywordLocation()) > depth(best.getKeywordLocation()))) {
        best = e;
      }
    }
    return best;
  }

  private static int depth(String pointer) {
    return pointer == null ? 0 : (int) pointer.chars().filter(c -> c == '/').count();
  }

  /** JSON pointer ({@code #/limits/timeoutMs}) to a dotted path ({@code manifest.limits.timeoutMs}). */
  static String toPath(String root, String pointer) {
    if (pointer == null) {
      return root;
    }
    String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder out = new StringBuilder(root);
    for (String token : p.split("/")) {
      if (token.isEmpty()) {
        continue;
      }
      String unescaped = token.replace("~1", "/").replace("~0", "~");
      if (unescaped.chars().allMatch(Character::isDigit)) {
        out.append('[').append(unescaped).append(']');
      } else {
        out.append('.').append(unescaped);
      }
    }
    return out.toString();
  }
}
