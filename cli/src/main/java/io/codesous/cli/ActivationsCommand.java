package io.codesous.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cs activations get|logs ID}: what one run of a function did. */
@Command(name = "activations", mixinStandardHelpOptions = true,
    description = "Read an activation (one run of a function) and its logs.",
    subcommands = {ActivationsCommand.Get.class, ActivationsCommand.Logs.class})
final class ActivationsCommand extends CliCommand {

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  static String activationPath(Target target, String id) {
    return target.path() + "/activations/" + ApiClient.segment(id);
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Read an activation: status, version, timing, response or error.")
  static final class Get extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "ID", description = "Activation id (the x-cs-activation-id of an invocation)")
    String id;

    @Override
    protected int execute() throws CliException {
      return print(client().get(activationPath(target, id)));
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Read an activation's log entries.")
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
