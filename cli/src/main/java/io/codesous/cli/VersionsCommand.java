package io.codesous.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code cs versions publish|list|get}: immutable published versions of a function. */
@Command(name = "versions",
    footer = {"", "Examples:",
        "  cs versions publish --tenant acme hello \"$DRAFT\" --alias prod",
        "  cs versions list --tenant acme hello"},
    mixinStandardHelpOptions = true,
    description = "Publish a draft as a version, list and read versions.",
    subcommands = {VersionsCommand.Publish.class, VersionsCommand.ListVersions.class, VersionsCommand.Get.class})
final class VersionsCommand extends CliCommand {

  static final List<String> COLUMNS = List.of("version", "sha256", "size_bytes", "created_at_ms");

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Publish a draft as the function's next version (optionally pointing an alias at it).",
      footer = {"", "Examples:",
          "  cs versions publish --tenant acme hello 0b6f…-draft-id",
          "  cs versions publish --tenant acme hello \"$DRAFT\" --alias prod"})
  static final class Publish extends ListingCommand {
    @Mixin
    Target target;

    @Parameters(index = "0", paramLabel = "NAME", description = "Function name")
    String name;

    @Parameters(index = "1", paramLabel = "DRAFT_ID", description = "The draft_id of cs drafts upload")
    String draftId;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Point this alias at the new version")
    String alias;

    @Override
    protected int execute() throws CliException {
      JsonObject body = new JsonObject().put("draft_id", draftId);
      if (alias != null) {
        body.put("alias", alias);
      }
      return printRow(client().postJson(FunctionsCommand.functionPath(target, name) + "/versions", body),
          List.of("version", "sha256", "alias"));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List a function's versions.",
      footer = {"", "Examples:", "  cs versions list --tenant acme hello", "  cs versions list --tenant acme hello -o json"})
  static final class ListVersions extends ListingCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "NAME", description = "Function name")
    String name;

    @Option(names = "--limit", paramLabel = "N", description = "At most N versions (1..1000, server default 50)")
    Integer limit;

    @Override
    protected int execute() throws CliException {
      return printRows(client().get(FunctionsCommand.functionPath(target, name) + "/versions"
          + (limit == null ? "" : "?limit=" + limit)), "versions", COLUMNS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Read one version: sha256, size, manifest.",
      footer = {"", "Example:", "  cs versions get --tenant acme hello 3"})
  static final class Get extends ListingCommand {
    @Mixin
    Target target;

    @Parameters(index = "0", paramLabel = "NAME", description = "Function name")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "Version number")
    long version;

    @Override
    protected int execute() throws CliException {
      return printRow(client().get(FunctionsCommand.functionPath(target, name) + "/versions/" + version),
          List.of("version", "sha256", "size_bytes", "created_at_ms", "manifest"));
    }
  }
}
