package io.codesous.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;

/** {@code cs aliases set|get|list}: names that point at versions, optionally with a canary share. */
@Command(name = "aliases",
    footer = {"", "Examples:",
        "  cs aliases set --tenant acme hello prod --version 4 --if-version 3",
        "  cs aliases list --tenant acme hello"},
    mixinStandardHelpOptions = true,
    description = "Point aliases at versions (with an optional canary weight), read and list them.",
    subcommands = {AliasesCommand.Set.class, AliasesCommand.Get.class, AliasesCommand.ListAliases.class})
final class AliasesCommand extends CliCommand {

  static final List<String> COLUMNS = List.of("alias", "version", "weights");

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  static String aliasesPath(Target target, String function) {
    return FunctionsCommand.functionPath(target, function) + "/aliases";
  }

  // no standard help options: their --version (print the CLI's version) would take this command's --version
  @Command(name = "set",
      description = {"Point ALIAS at a version. --if-version makes it a compare-and-set (0: the alias must not "
          + "exist yet); --weight sends a share of invocations to another version; setting it again without "
          + "--weight rolls the canary back."},
      footer = {"", "Examples:",
          "  cs aliases set --tenant acme hello prod --version 3",
          "  cs aliases set --tenant acme hello prod --version 4 --if-version 3",
          "  cs aliases set --tenant acme hello prod --version 3 --weight 4=10   # 10 % to version 4"})
  static final class Set extends ListingCommand {
    @Mixin
    Target target;

    @Parameters(index = "0", paramLabel = "NAME", description = "Function name")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias name")
    String alias;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", required = true, paramLabel = "N", description = "The version the alias points at")
    long version;

    @Option(names = "--if-version", paramLabel = "M",
        description = "Only if the alias points at M now (0: only if it does not exist)")
    Long ifVersion;

    @Option(names = "--weight", paramLabel = "VERSION=PERCENT",
        description = "Send PERCENT % of invocations to VERSION (repeatable; together at most 100)")
    Map<Long, Integer> weights;

    @Override
    protected int execute() throws CliException {
      JsonObject body = new JsonObject().put("version", version);
      if (ifVersion != null) {
        body.put("if_version", ifVersion);
      }
      if (weights != null && !weights.isEmpty()) {
        JsonObject shares = new JsonObject();
        weights.forEach((v, percent) -> shares.put(Long.toString(v), percent));
        body.put("weights", shares);
      }
      return printRow(client().putJson(aliasesPath(target, name) + "/" + ApiClient.segment(alias), body), COLUMNS);
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Read one alias: its version and weights.",
      footer = {"", "Example:", "  cs aliases get --tenant acme hello prod"})
  static final class Get extends ListingCommand {
    @Mixin
    Target target;

    @Parameters(index = "0", paramLabel = "NAME", description = "Function name")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias name")
    String alias;

    @Override
    protected int execute() throws CliException {
      ApiClient.Response response = client().get(aliasesPath(target, name));
      if (!response.ok()) {
        return fail(response);
      }
      JsonArray aliases = jsonObject(response).getJsonArray("aliases", new JsonArray());
      for (Object entry : aliases) {
        JsonObject found = (JsonObject) entry;
        if (alias.equals(found.getString("alias"))) {
          if (output.table()) {
            out().print(Tables.render(new JsonArray().add(found), COLUMNS, Terminal.colour(root().env())));
          } else {
            out().println(found.encodePrettily());
          }
          return 0;
        }
      }
      err().println("CS_NOT_FOUND: alias " + alias + " of function " + name + " not found");
      return CliException.FAILED;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List a function's aliases.",
      footer = {"", "Example:", "  cs aliases list --tenant acme hello"})
  static final class ListAliases extends ListingCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "NAME", description = "Function name")
    String name;

    @Override
    protected int execute() throws CliException {
      return printRows(client().get(aliasesPath(target, name)), "aliases", COLUMNS);
    }
  }
}
