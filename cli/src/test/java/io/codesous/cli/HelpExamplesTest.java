package io.codesous.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every command's {@code --help}, groups and the completion generator included, ends with examples to copy. */
class HelpExamplesTest {

  @Test
  void everyCommandsHelpShowsExamplesThatBeginWithCs() {
    List<String> without = new ArrayList<>();
    walk(Cs.commandLine(new Cs(Map.of(), new ByteArrayInputStream(new byte[0]))), without);
    assertEquals(List.of(), without, "commands whose --help has no example");
  }

  private static void walk(CommandLine command, List<String> without) {
    String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
    int examples = Math.max(help.indexOf("Examples:"), help.indexOf("Example:"));
    String name = command.getCommandSpec().qualifiedName();
    if (examples < 0 || help.substring(examples).lines().skip(1).noneMatch(l -> l.strip().startsWith("cs "))) {
      without.add(name);
    }
    command.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, without));
  }
}
