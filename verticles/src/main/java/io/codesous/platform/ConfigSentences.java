package io.codesous.platform;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites what the JSON-Schema validator says about a configuration ("config.port: Instance type string is
 * invalid. Expected integer") into a sentence an operator reads at a glance ("config.port must be an integer, not a
 * string"). The path stays first, so the setting is found in the file. A message of another shape passes unchanged.
 */
final class ConfigSentences {

  private record Rule(Pattern pattern, Function<Matcher, String> sentence) {
  }

  private static final List<Rule> RULES = List.of(
      new Rule(Pattern.compile("^(\\S+): Instance type (\\w+) is invalid\\. Expected (\\w+)$"),
          m -> m.group(1) + " must be " + article(m.group(3)) + ", not " + article(m.group(2))),
      new Rule(Pattern.compile("^(\\S+): Property \"([^\"]+)\" does not match additional properties schema$"),
          m -> m.group(1) + " is not a setting code-sous knows (misspelt, or in another section?)"),
      new Rule(Pattern.compile("^(\\S+): Instance does not have required property \"([^\"]+)\"$"),
          m -> m.group(1) + "." + m.group(2) + " is missing, and these settings need it"),
      new Rule(Pattern.compile("^(\\S+): Instance does not match any of \\[(.*)]$"),
          m -> m.group(1) + " must be one of " + m.group(2).replace("\"", "").replace(",", ", ")),
      new Rule(Pattern.compile("^(\\S+): (-?[\\d.]+) is greater than (-?[\\d.]+)$"),
          m -> m.group(1) + " is " + m.group(2) + ", but must be at most " + m.group(3)),
      new Rule(Pattern.compile("^(\\S+): (-?[\\d.]+) is less than (-?[\\d.]+)$"),
          m -> m.group(1) + " is " + m.group(2) + ", but must be at least " + m.group(3)));

  private ConfigSentences() {
  }

  static String of(String validatorMessage) {
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(validatorMessage);
      if (m.matches()) {
        return rule.sentence().apply(m);
      }
    }
    return validatorMessage;
  }

  private static String article(String type) {
    return (type.matches("^[aeiou].*") ? "an " : "a ") + type;
  }
}
