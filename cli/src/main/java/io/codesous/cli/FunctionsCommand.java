package io.codesous.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cs functions create|get|list|delete}: function records. */
@Command(name = "functions",
    footer = {"", "Examples:",
        "  cs functions create --tenant acme hello",
        "  cs functions list --tenant acme -o table"},
    mixinStandardHelpOptions = true,
    description = "Create, read, list and delete functions.",
    subcommands = {FunctionsCommand.Create.class, FunctionsCommand.Get.class, FunctionsCommand.List.class,
        FunctionsCommand.Delete.class})
final class FunctionsCommand extends CliCommand {

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  static String functionsPath(Target target) {
    return target.path() + "/functions";
  }

  static String functionPath(Target target, String name) {
    return functionsPath(target) + "/" + ApiClient.segment(name);
  }

  @Command(name = "create",
      footer = {"", "Examples:",
          "  cs functions create --tenant acme hello",
          "  cs functions create --tenant acme --namespace billing invoice"},
      mixinStandardHelpOptions = true, description = "Create a function.")
  static final class Create extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "NAME", description = "Function name")
    String name;

    @Override
    protected int execute() throws CliException {
      return print(client().postJson(functionsPath(target), new JsonObject().put("name", name)));
    }
  }

  @Command(name = "get",
      footer = {"", "Examples:",
          "  cs functions get --tenant acme hello",
          "  cs functions get --tenant acme hello --include-deleted"},
      mixinStandardHelpOptions = true,
      description = "Read a function: its latest version and aliases.")
  static final class Get extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "NAME", description = "Function name")
    String name;

    @Option(names = "--include-deleted", description = "Also show a deleted function")
    boolean includeDeleted;

    @Override
    protected int execute() throws CliException {
      return print(client().get(functionPath(target, name) + (includeDeleted ? "?include_deleted=true" : "")));
    }
  }

  @Command(name = "list",
      footer = {"", "Examples:",
          "  cs functions list --tenant acme",
          "  cs functions list --tenant acme --limit 200 -o json | jq -r '.functions[].name'"},
      mixinStandardHelpOptions = true, description = "List a namespace's functions.")
  static final class List extends ClientCommand {
    @Mixin
    Target target;

    @Option(names = "--include-deleted", description = "Also list deleted functions")
    boolean includeDeleted;

    @Option(names = "--limit", paramLabel = "N", description = "At most N functions (1..1000, server default 50)")
    Integer limit;

    @Override
    protected int execute() throws CliException {
      StringBuilder query = new StringBuilder();
      if (includeDeleted) {
        query.append("include_deleted=true");
      }
      if (limit != null) {
        query.append(query.isEmpty() ? "" : "&").append("limit=").append(limit);
      }
      return print(client().get(functionsPath(target) + (query.isEmpty() ? "" : "?" + query)));
    }
  }

  @Command(name = "delete",
      footer = {"", "Example:",
          "  cs functions delete --tenant acme hello"},
      mixinStandardHelpOptions = true,
      description = "Soft-delete a function: it can no longer be invoked; its name stays taken.")
  static final class Delete extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "NAME", description = "Function name")
    String name;

    @Override
    protected int execute() throws CliException {
      return print(client().delete(functionPath(target, name)));
    }
  }
}
