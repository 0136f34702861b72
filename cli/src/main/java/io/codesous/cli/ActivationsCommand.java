package io.codesous.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cs activations get|logs ID}: what one run of a function did. */
@Command(name = "activations",
    footer = {"", "Examples:",
        "  cs activations list --tenant acme --function hello --status error",
        "  cs activations get --tenant acme \"$ID\""},
    mixinStandardHelpOptions = true,
    description = "List activations (runs of a function), read one and its logs.",
    subcommands = {ActivationsCommand.Get.class, ActivationsCommand.Logs.class, ActivationsCommand.ListActivations.class})
final class ActivationsCommand extends CliCommand {

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  static String activationPath(Target target, String id) {
    return target.path() + "/activations/" + ApiClient.segment(id);
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List a function's activations, newest first.",
      footer = {"", "Examples:",
          "  cs activations list --tenant acme --function hello",
          "  cs activations list --tenant acme --function hello --status error --limit 5 -o json"})
  static final class ListActivations extends ListingCommand {
    static final java.util.List<String> COLUMNS =
        java.util.List.of("activation_id", "status", "version", "ref", "start_ms", "duration_ms");

    @Mixin
    Target target;

    @Option(names = "--function", required = true, paramLabel = "F", description = "Function name")
    String function;

    @Option(names = "--status", paramLabel = "S",
        description = "Only this status: queued, running, success, error, timeout, memory_limit, expired, cancelled")
    String status;

    @Option(names = "--limit", paramLabel = "N", description = "At most N activations (1..200, server default 50)")
    Integer limit;

    @Override
    protected int execute() throws CliException {
      StringBuilder query = new StringBuilder();
      if (status != null) {
        query.append("status=").append(ApiClient.segment(status));
      }
      if (limit != null) {
        query.append(query.isEmpty() ? "" : "&").append("limit=").append(limit);
      }
      return printRows(client().get(FunctionsCommand.functionPath(target, function) + "/activations"
          + (query.isEmpty() ? "" : "?" + query)), "activations", COLUMNS);
    }
  }

  @Command(name = "get",
      footer = {"", "Examples:",
          "  cs activations get --tenant acme \"$ID\"",
          "  cs activations get --tenant acme \"$ID\" | jq .status",
          "  cs activations get --tenant acme \"$ID\" --wait 30s   # answers when it ends (or after 30 s)"},
      mixinStandardHelpOptions = true,
      description = "Read an activation: status, version, timing, response or error.")
  static final class Get extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "ID", description = "Activation id (the x-cs-activation-id of an invocation)")
    String id;

    @Option(names = "--wait", paramLabel = "DURATION", description = "Long-poll: answer when the activation ends or "
        + "after DURATION (e.g. 30s, at most the server's maximum); meanwhile it reads queued or running")
    String wait;

    @Override
    protected int execute() throws CliException {
      return print(client().get(activationPath(target, id) + (wait == null ? "" : "?wait=" + ApiClient.segment(wait))));
    }
  }

  @Command(name = "logs",
      footer = {"", "Examples:",
          "  cs activations logs --tenant acme \"$ID\"",
          "  cs logs --tenant acme \"$ID\" --follow      # every page, or live until it ends"},
      mixinStandardHelpOptions = true, description = "Read an activation's log entries.")
  static final class Logs extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "ID", description = "Activation id")
    String id;

    @Override
    protected int execute() throws CliException {
      return print(client().get(activationPath(target, id) + "/logs"));
    }
  }
}
