package io.codesous.control;

import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.codesous.control.ControlCalls.Target;
import io.codesous.http.AccessControl;
import io.codesous.http.JsonBodies;
import io.codesous.http.RequestIds;
import io.codesous.runtime.ModuleCheck;
import io.codesous.runtime.ModuleProblem;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.VersionPublished;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.spec.model.Manifest;
import io.codesous.spec.validation.Names;
import io.codesous.store.ActivationStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.SecretStore;
import io.codesous.store.AliasTarget;
import io.codesous.store.VersionMeta;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The lifecycle API under {@code /v1/tenants/{tenant}/namespaces/{namespace}}: functions, drafts,
 * versions, aliases, and the activation read API. Each request runs through {@link ControlCalls}: path validated,
 * action authorized, body validated, then the stores; nothing is written before validation passes.
 */
public class ControlApi {

  static final String BASE = "/v1/tenants/:tenant/namespaces/:namespace";
  static final int DEFAULT_LIST_LIMIT = 50;
  static final int MAX_LIST_LIMIT = 1000;
  /**
   * How often a long-poll re-reads a pending record: one small KV read per waiting client every 100 ms keeps the
   * answer within a tenth of a second of the end without loading the store.
   */
  static final long WAIT_POLL_MS = 100;
  /** The most activations one list answers. */
  static final int MAX_ACTIVATION_LIST = 200;

  private final FunctionStore functions;
  private final ActivationStore activations;
  private final SecretStore secrets;
  private final ControlOptions options;
  private final ControlCalls calls;
  private final ValidationPool validation;
  private final ModuleCheck modules;

  private final VersionAnnouncer announcer;

  public ControlApi(FunctionStore functions, ActivationStore activations, SecretStore secrets, AccessControl access,
                    ControlOptions options, ValidationPool validation, ModuleCheck modules,
                    VersionAnnouncer announcer) {
    this.modules = Objects.requireNonNull(modules, "modules");
    this.announcer = Objects.requireNonNull(announcer, "announcer");
    this.validation = Objects.requireNonNull(validation, "validation");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.activations = Objects.requireNonNull(activations, "activations");
    this.options = Objects.requireNonNull(options, "options");
    this.calls = new ControlCalls(access);
  }

  /** Mounts the routes; {@code router} already assigns request ids and maps failures. */
  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(options.getMaxBodyBytes());
    router.post(BASE + "/functions").handler(body).handler(this::createFunction);
    router.get(BASE + "/functions").handler(this::listFunctions);
    router.get(BASE + "/functions/:fn").handler(this::getFunction);
    router.delete(BASE + "/functions/:fn").handler(this::deleteFunction);
    router.post(BASE + "/functions/:fn/drafts").handler(body).handler(this::uploadDraft);
    router.post(BASE + "/functions/:fn/versions").handler(body).handler(this::publish);
    router.get(BASE + "/functions/:fn/versions").handler(this::listVersions);
    router.get(BASE + "/functions/:fn/versions/:version").handler(this::getVersion);
    router.put(BASE + "/functions/:fn/aliases/:alias").handler(body).handler(this::setAlias);
    router.get(BASE + "/functions/:fn/aliases").handler(this::listAliases);
    router.get(BASE + "/functions/:fn/activations").handler(this::listActivations);
    router.get(BASE + "/activations/:id").handler(this::getActivation);
    router.get(BASE + "/activations/:id/logs").handler(this::getLogs);
    router.post(BASE + "/secrets").handler(body).handler(this::createSecret);
    router.get(BASE + "/secrets").handler(this::listSecrets);
    router.put(BASE + "/secrets/:name").handler(body).handler(this::rotateSecret);
    router.delete(BASE + "/secrets/:name").handler(this::deleteSecret);
  }

  private void createFunction(RoutingContext ctx) {
    calls.run(ctx, 201, Action.FUNCTION_CREATE, c -> Target.created(c, Resource::function), s -> {
      JsonObject body = JsonBodies.object(ctx, Set.of("name"));
      String name = Names.requireName("name", body.getValue("name") instanceof String n ? n : null);
      return functions.create(s.tenant(), s.namespace(), name);
    });
  }

  private void listFunctions(RoutingContext ctx) {
    calls.run(ctx, 200, Action.FUNCTION_LIST, c -> Target.namespace(c, Resource::functions), s -> {
      boolean includeDeleted = flag(ctx, "include_deleted");
      return functions.list(s.tenant(), s.namespace(), includeDeleted, limit(ctx, MAX_LIST_LIMIT))
          .map(list -> new JsonObject().put("functions", new JsonArray(list)));
    });
  }

  private void getFunction(RoutingContext ctx) {
    calls.run(ctx, 200, Action.FUNCTION_READ, Target::function, s -> {
      String fn = s.resource().name();
      return functions.get(s.tenant(), s.namespace(), fn, flag(ctx, "include_deleted"))
          .compose(record -> functions.latestVersion(s.tenant(), s.namespace(), fn)
              .compose(latest -> functions.aliases(s.tenant(), s.namespace(), fn)
                  .map(aliases -> {
                    long first = FunctionStore.firstVersionOf(record);
                    JsonObject current = new JsonObject();
                    aliases.forEach((alias, version) -> {
                      if (version >= first) {
                        current.put(alias, version);
                      }
                    });
                    return record.copy().put("latest_version", latest < first ? null : latest).put("aliases", current);
                  })));
    });
  }

  private void deleteFunction(RoutingContext ctx) {
    calls.run(ctx, 200, Action.FUNCTION_DELETE, Target::function,
        s -> functions.softDelete(s.tenant(), s.namespace(), s.resource().name()));
  }

  private void uploadDraft(RoutingContext ctx) {
    calls.run(ctx, 201, Action.DRAFT_CREATE, Target::function, s -> {
      String contentType = ctx.request().getHeader("content-type");
      Buffer raw = ctx.body().buffer();
      return validation.run(() -> draft(contentType, raw))
          .compose(draft -> functions.putDraft(s.tenant(), s.namespace(), s.resource().name(), draft.bundle(),
              draft.manifest(), Duration.ofMillis(options.getDraftTtlMs())));
    });
  }

  private record Draft(Manifest manifest, BundleFiles bundle) {
  }

  /**
   * Decodes and validates an upload, its modules parsed and linked (never run) by the sandbox's {@link ModuleCheck};
   * runs on the {@link ValidationPool}, its cost growing with the body.
   */
  private Draft draft(String contentType, Buffer raw) {
    JsonObject body = JsonBodies.object(contentType, raw, Set.of("files", "manifest"));
    if (!(body.getValue("files") instanceof JsonObject files)) {
      throw CsException.validation("files", "must be an object of path to content");
    }
    Object rawManifest = body.getValue("manifest");
    if (rawManifest != null && !(rawManifest instanceof JsonObject)) {
      throw CsException.validation("manifest", "must be an object");
    }
    Manifest manifest = Manifest.parse((JsonObject) rawManifest, options.getMaxTimeoutMs());
    BundleFiles bundle = BundleFiles.fromUpload(files, options.getMaxBundleBytes());
    if (!bundle.contains(manifest.entry())) {
      throw CsException.validation("manifest.entry", "names no file of the bundle: " + manifest.entry());
    }
    // a module that cannot load would fail every activation: refuse it here, where its author is listening
    ModuleProblem problem = modules.check(bundle.files(), manifest.entry()).orElse(null);
    if (problem != null) {
      String path = "files[\"" + problem.file() + "\"]";
      String place = problem.line() == 0 ? "" : "line " + problem.line()
          + (problem.column() == 0 ? "" : ", column " + problem.column()) + ": ";
      throw new CsException(ErrorCode.CS_VALIDATION_FAILED, path + ": " + place + problem.message(),
          new JsonObject().put("path", path).put("file", problem.file())
              .put("line", problem.line()).put("column", problem.column()).put("reason", problem.message()));
    }
    return new Draft(manifest, bundle);
  }

  private void publish(RoutingContext ctx) {
    calls.run(ctx, 201, Action.FUNCTION_PUBLISH, Target::function, s -> {
      JsonObject body = JsonBodies.object(ctx, Set.of("draft_id", "alias"));
      String draftId = Names.requireId("draft_id", body.getValue("draft_id") instanceof String d ? d : null);
      Object alias = body.getValue("alias");
      if (alias != null && !(alias instanceof String)) {
        throw CsException.validation("alias", "must be a string");
      }
      String aliasName = alias == null ? null : Names.requireAlias("alias", (String) alias);
      String fn = s.resource().name();
      return functions.publish(s.tenant(), s.namespace(), fn, draftId, aliasName)
          .onSuccess(published -> {
            // an unchanged deploy answers the version invokers already know
            if (!published.getBoolean("unchanged", false)) {
              announcer.announce(new VersionPublished(s.tenant(), s.namespace(), fn, published.getLong("version"),
                  published.getString("sha256"), System.currentTimeMillis()), RequestIds.of(ctx));
            }
          });
    });
  }

  private void listVersions(RoutingContext ctx) {
    calls.run(ctx, 200, Action.FUNCTION_READ, Target::function, s -> {
      String fn = s.resource().name();
      int limit = limit(ctx, MAX_LIST_LIMIT);
      // a function created again after a delete lists its own versions; include_deleted adds the deleted one's
      boolean includeDeleted = flag(ctx, "include_deleted");
      return functions.get(s.tenant(), s.namespace(), fn, true)
          .compose(f -> functions.versions(s.tenant(), s.namespace(), fn, limit)
              .map(list -> list.stream()
                  .filter(v -> includeDeleted || v.version() >= FunctionStore.firstVersionOf(f))
                  .map(VersionMeta::toJson).toList()))
          .map(list -> new JsonObject().put("versions", new JsonArray(list)));
    });
  }

  private void getVersion(RoutingContext ctx) {
    calls.run(ctx, 200, Action.FUNCTION_READ, Target::function, s -> {
      String fn = s.resource().name();
      long version = versionParam(ctx.pathParam("version"), "version");
      boolean includeDeleted = flag(ctx, "include_deleted");
      return functions.get(s.tenant(), s.namespace(), fn, true)
          .compose(f -> includeDeleted ? functions.version(s.tenant(), s.namespace(), fn, version)
              : functions.currentVersion(s.tenant(), s.namespace(), fn, version, FunctionStore.firstVersionOf(f)))
          .map(VersionMeta::toJson);
    });
  }

  private void setAlias(RoutingContext ctx) {
    calls.run(ctx, 200, Action.ALIAS_UPDATE, Target::alias, s -> {
      String[] fnAndAlias = s.resource().name().split("/", 2);
      JsonObject body = JsonBodies.object(ctx, Set.of("version", "if_version", "weights"));
      long version = positiveLong(body.getValue("version"), "version", 1);
      Long ifVersion = body.getValue("if_version") == null ? null
          : positiveLong(body.getValue("if_version"), "if_version", 0);
      AliasTarget target = AliasTarget.parse(version, body.getValue("weights"));
      return functions.setAlias(s.tenant(), s.namespace(), fnAndAlias[0], fnAndAlias[1], target, ifVersion);
    });
  }

  private void listAliases(RoutingContext ctx) {
    calls.run(ctx, 200, Action.ALIAS_READ, Target::function, s -> {
      String fn = s.resource().name();
      return functions.get(s.tenant(), s.namespace(), fn, true)
          .compose(f -> functions.aliasTargets(s.tenant(), s.namespace(), fn))
          .map(aliases -> {
            JsonArray out = new JsonArray();
            aliases.forEach((name, target) -> out.add(target.toJson().put("alias", name)));
            return new JsonObject().put("aliases", out);
          });
    });
  }

  private void listActivations(RoutingContext ctx) {
    calls.run(ctx, 200, Action.ACTIVATION_READ, Target::function, s -> {
      String fn = s.resource().name();
      int limit = limit(ctx, MAX_ACTIVATION_LIST);
      ActivationStatus status = statusParam(ctx.queryParams().get("status"));
      // a status filter looks through the newest MAX_ACTIVATION_LIST records: the list index is by time only
      return functions.get(s.tenant(), s.namespace(), fn, true)
          .compose(f -> activations.list(s.tenant(), s.namespace(), fn, status == null ? limit : MAX_ACTIVATION_LIST))
          .map(list -> new JsonObject().put("activations", new JsonArray(list.stream()
              .filter(record -> status == null || record.status() == status)
              .limit(limit)
              .map(ActivationRecord::summary).toList())));
    });
  }

  private void getActivation(RoutingContext ctx) {
    calls.run(ctx, 200, Action.ACTIVATION_READ, Target::activation, s -> {
      long waitMs = ActivationWait.parseWaitMs(ctx.queryParams().get("wait"));
      return new ActivationWait(ctx.vertx(), WAIT_POLL_MS)
          .until(() -> activations.get(s.tenant(), s.namespace(), s.resource().name()), waitMs)
          .map(ActivationRecord::toJson);
    });
  }

  private void getLogs(RoutingContext ctx) {
    boolean follow;
    try {
      follow = flag(ctx, "follow");
    } catch (CsException invalid) {
      ctx.fail(invalid);
      return;
    }
    if (follow) {
      calls.authorized(ctx, Action.ACTIVATION_READ, Target::activation).ifPresent(s ->
          new LogFollow(activations, ctx.vertx(), WAIT_POLL_MS)
              .follow(ctx, s.tenant(), s.namespace(), s.resource().name()));
      return;
    }
    calls.run(ctx, 200, Action.ACTIVATION_READ, Target::activation, s -> {
      int limit = limit(ctx, MAX_LIST_LIMIT, MAX_LIST_LIMIT);
      int from = LogCursor.parse(ctx.queryParams().get("cursor"));
      return activations.logs(s.tenant(), s.namespace(), s.resource().name(), from, limit).map(LogCursor::toApi);
    });
  }

  // ---- secrets: values go in, never out

  private void createSecret(RoutingContext ctx) {
    calls.run(ctx, 201, Action.SECRET_CREATE, c -> Target.created(c, Resource::secret), s -> {
      JsonObject body = JsonBodies.object(ctx, Set.of("name", "value"));
      String name = Names.requireName("name", body.getValue("name") instanceof String n ? n : null);
      return secrets.create(s.tenant(), s.namespace(), name, secretValue(body));
    });
  }

  private void listSecrets(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SECRET_LIST, c -> Target.namespace(c, ns -> Resource.secret(ns, null)),
        s -> secrets.list(s.tenant(), s.namespace()));
  }

  private void rotateSecret(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SECRET_ROTATE, Target::secret, s -> {
      JsonObject body = JsonBodies.object(ctx, Set.of("value"));
      return secrets.rotate(s.tenant(), s.namespace(), s.resource().name(), secretValue(body));
    });
  }

  private void deleteSecret(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SECRET_DELETE, Target::secret,
        s -> secrets.delete(s.tenant(), s.namespace(), s.resource().name()));
  }

  private static String secretValue(JsonObject body) {
    if (!(body.getValue("value") instanceof String value)) {
      throw CsException.validation("value", "must be a string");
    }
    return value;
  }

  // ---- helpers

  private static boolean flag(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true") || v.isEmpty()) {
      return true;
    }
    throw CsException.validation(name, "must be true or false");
  }

  private static int limit(RoutingContext ctx, int max) {
    return limit(ctx, Math.min(DEFAULT_LIST_LIMIT, max), max);
  }

  private static int limit(RoutingContext ctx, int absent, int max) {
    String v = ctx.queryParams().get("limit");
    if (v == null) {
      return absent;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw CsException.validation("limit", "must be an integer 1.." + max);
  }

  private static ActivationStatus statusParam(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return ActivationStatus.fromWire(raw);
    } catch (IllegalArgumentException e) {
      throw CsException.validation("status", "must be one of queued, running, success, error, timeout, "
          + "memory_limit, expired, cancelled");
    }
  }

  private static long versionParam(String raw, String field) {
    if (raw == null || !Names.VERSION.matcher(raw).matches()) {
      throw CsException.validation(field, "must be a positive integer");
    }
    return Long.parseLong(raw);
  }

  private static long positiveLong(Object value, String field, long min) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= min) {
      return n.longValue();
    }
    throw CsException.validation(field, "must be an integer >= " + min);
  }

}
