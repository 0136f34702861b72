package io.codesous.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code cs secrets create|rotate|delete|list}: a namespace's secrets.
 *
 * <p>A value is read from {@code --value-file} or stdin, never from an argument: arguments end up
 * in shell history and in every local user's view of the process list.
 */
@Command(name = "secrets",
    footer = {"", "Examples:",
        "  cs secrets create --tenant acme db-password --value-file pw.txt",
        "  cs secrets list --tenant acme"},
    mixinStandardHelpOptions = true,
    description = "Create, rotate, delete and list a namespace's secrets (values are never shown).",
    subcommands = {SecretsCommand.Create.class, SecretsCommand.Rotate.class, SecretsCommand.Delete.class,
        SecretsCommand.List.class})
final class SecretsCommand extends CliCommand {

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  static String secretsPath(Target target) {
    return target.path() + "/secrets";
  }

  /** Where a secret's value comes from. */
  static final class ValueSource {
    @Option(names = "--value-file", paramLabel = "FILE",
        description = "Read the value from FILE (default: stdin; a terminal is asked without echo). "
            + "One trailing newline is dropped.")
    Path valueFile;

    String read(Cs cs) throws CliException {
      String value;
      if (valueFile != null) {
        try {
          value = Files.readString(valueFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw CliException.usage("--value-file: cannot read " + valueFile + " (" + e.getClass().getSimpleName()
              + ")");
        }
      } else if (cs.stdinIsConsole()) {
        Console console = System.console();
        char[] typed = console.readPassword("secret value: ");
        value = typed == null ? "" : new String(typed);
      } else {
        try {
          value = new String(cs.stdin().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw CliException.usage("stdin: cannot read the value: " + e.getMessage());
        }
      }
      value = dropOneNewline(value);
      if (value.isEmpty()) {
        throw CliException.usage((valueFile != null ? "--value-file" : "stdin") + ": the secret value is empty");
      }
      return value;
    }

    static String dropOneNewline(String value) {
      if (value.endsWith("\r\n")) {
        return value.substring(0, value.length() - 2);
      }
      return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }
  }

  @Command(name = "create",
      footer = {"", "Examples:",
          "  cs secrets create --tenant acme db-password --value-file pw.txt",
          "  printf %s \"$PW\" | cs secrets create --tenant acme db-password"},
      mixinStandardHelpOptions = true, description = "Create a secret.")
  static final class Create extends ClientCommand {
    @Mixin
    Target target;

    @Mixin
    ValueSource value;

    @Parameters(paramLabel = "NAME", description = "Secret name")
    String name;

    @Override
    protected int execute() throws CliException {
      ApiClient api = client();
      JsonObject body = new JsonObject().put("name", name).put("value", value.read(root()));
      return print(api.postJson(secretsPath(target), body));
    }
  }

  @Command(name = "rotate",
      footer = {"", "Example:",
          "  cs secrets rotate --tenant acme db-password --value-file new-pw.txt"},
      mixinStandardHelpOptions = true, description = "Replace a secret's value.")
  static final class Rotate extends ClientCommand {
    @Mixin
    Target target;

    @Mixin
    ValueSource value;

    @Parameters(paramLabel = "NAME", description = "Secret name")
    String name;

    @Override
    protected int execute() throws CliException {
      ApiClient api = client();
      JsonObject body = new JsonObject().put("value", value.read(root()));
      return print(api.putJson(secretsPath(target) + "/" + ApiClient.segment(name), body));
    }
  }

  @Command(name = "delete",
      footer = {"", "Example:",
          "  cs secrets delete --tenant acme db-password"},
      mixinStandardHelpOptions = true, description = "Delete a secret.")
  static final class Delete extends ClientCommand {
    @Mixin
    Target target;

    @Parameters(paramLabel = "NAME", description = "Secret name")
    String name;

    @Override
    protected int execute() throws CliException {
      return print(client().delete(secretsPath(target) + "/" + ApiClient.segment(name)));
    }
  }

  @Command(name = "list",
      footer = {"", "Examples:",
          "  cs secrets list --tenant acme",
          "  cs secrets list --tenant acme --namespace billing"},
      mixinStandardHelpOptions = true, description = "List the secrets' names.")
  static final class List extends ClientCommand {
    @Mixin
    Target target;

    @Override
    protected int execute() throws CliException {
      return print(client().get(secretsPath(target)));
    }
  }
}
