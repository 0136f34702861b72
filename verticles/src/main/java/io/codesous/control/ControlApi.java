package io.codesous.control;

import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.codesous.control.ControlCalls.Target;
import io.codesous.http.AccessControl;
import io.codesous.http.JsonBodies;
import io.codesous.http.RequestIds;
import io.codesous.runtime.ModuleCheck;
import io.codesous.spec.error.CsException;
import io.codesous.spec.message.VersionPublished;
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

import static io.codesous.control.QueryParams.flag;
import static io.codesous.control.QueryParams.limit;
import static io.codesous.control.QueryParams.positiveLong;
import static io.codesous.control.QueryParams.versionParam;

/**
 * The lifecycle API under {@code /v1/tenants/{tenant}/namespaces/{namespace}}: functions, drafts, versions,
 * aliases, and (through {@link ActivationRoutes} and {@link SecretRoutes}) activations and secrets. Each request runs
 * through {@link ControlCalls}: path validated, action authorized, body validated, then the stores; nothing is
 * written before validation passes.
 */
public class ControlApi {

  static final String BASE = "/v1/tenants/:tenant/namespaces/:namespace";
  static final int MAX_LIST_LIMIT = 1000;

  private final FunctionStore functions;
  private final ControlOptions options;
  private final ControlCalls calls;
  private final ValidationPool validation;
  private final DraftDecoder drafts;
  private final VersionAnnouncer announcer;
  private final ParseAhead parseAhead;
  private final ActivationRoutes activationRoutes;
  private final SecretRoutes secretRoutes;

  public ControlApi(FunctionStore functions, ActivationStore activations, SecretStore secrets, AccessControl access,
                    ControlOptions options, ValidationPool validation, ModuleCheck modules,
                    VersionAnnouncer announcer, ParseAhead parseAhead) {
    this.announcer = Objects.requireNonNull(announcer, "announcer");
    this.parseAhead = Objects.requireNonNull(parseAhead, "parseAhead");
    this.validation = Objects.requireNonNull(validation, "validation");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.options = Objects.requireNonNull(options, "options");
    this.calls = new ControlCalls(access);
    this.drafts = new DraftDecoder(Objects.requireNonNull(modules, "modules"), options);
    this.activationRoutes = new ActivationRoutes(functions, Objects.requireNonNull(activations, "activations"), calls);
    this.secretRoutes = new SecretRoutes(Objects.requireNonNull(secrets, "secrets"), calls);
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
    activationRoutes.mount(router);
    secretRoutes.mount(router, body);
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
      return validation.run(() -> drafts.decode(contentType, raw))
          .compose(draft -> functions.putDraft(s.tenant(), s.namespace(), s.resource().name(), draft.bundle(),
                  draft.manifest(), Duration.ofMillis(options.getDraftTtlMs()))
              // after the answer, not before it: the publish that usually follows waits for the parse, if at all,
              // only for what is left of it
              .onSuccess(stored -> validation.run(() -> {
                parseAhead.parse(new ParseAhead.Draft(s.tenant(), s.namespace(), s.resource().name(),
                    stored.getString("draft_id"), draft.bundle(), draft.manifest()));
                return null;
              })));
    });
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


}
