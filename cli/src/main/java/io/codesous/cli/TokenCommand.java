package io.codesous.cli;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.auth.authz.RolePolicy;
import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.codesous.auth.token.TokenVerifierOptions;
import io.codesous.platform.ConfigLoader;
import io.codesous.platform.PlatformOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** {@code cs token create}: tokens signed with the embedded server's own key. */
@Command(name = "token",
    footer = {"", "Example:",
        "  cs token create --tenant acme --roles developer --ttl 8h"},
    mixinStandardHelpOptions = true,
    description = "Mint tokens with the signing key of a local (embedded) server.",
    subcommands = {TokenCommand.Create.class})
final class TokenCommand extends CliCommand {

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  /**
   * Mints one token with the key in the server's data directory and prints it alone on stdout, so
   * {@code CS_TOKEN=$(cs token create …)} works.
   *
   * <p>It never creates a key: a key made here would not be the one the server verifies with, and
   * every token it signed would be refused. The server creates the key on its first start.
   *
   * <p>It reads the server's configuration the way the server does (the {@code --config} file and
   * the {@code CS_} variables), so the data directory, issuer and audience are the ones the server
   * checks tokens against.
   */
  @Command(name = "create",
      footer = {"", "Examples:",
          "  cs token create --tenant acme --roles developer --ttl 8h",
          "  cs token create --tenant acme --roles invoker --kind service --subject billing --ttl 30d",
          "  export CS_TOKEN=$(cs token create --tenant '*' --roles admin)"},
      mixinStandardHelpOptions = true,
      description = {"Mint a token signed with <data-dir>/signing-key.jwk and print it.",
          "Example: export CS_TOKEN=$(cs token create --tenant acme --roles developer --ttl 8h)"})
  static final class Create extends CliCommand {

    /** As the verifier requires (see AUTHZ.md). */
    private static final Pattern TENANT = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");
    /** As role policies require. */
    private static final Pattern ROLE = Pattern.compile("^[a-z][a-z0-9:_-]{0,63}$");

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "The server's data directory (default: from --config or $CS_DATADIR, else ~/.code-sous)")
    String dataDir;

    @Option(names = "--config", paramLabel = "FILE",
        description = "The server's configuration file, for its data directory and auth.token issuer and audience")
    Path config;

    @Option(names = "--tenant", required = true, paramLabel = "TENANT",
        description = "Tenant the token belongs to, or * for every tenant (platform-wide)")
    String tenant;

    @Option(names = "--roles", required = true, paramLabel = "ROLE[,ROLE…]",
        description = "Roles, comma-separated: admin, developer, invoker, reader, or a configured role")
    String roles;

    @Option(names = "--ttl", defaultValue = "1h", paramLabel = "TTL",
        description = "Lifetime: 30s, 15m, 1h, 7d … (default: ${DEFAULT-VALUE}, at most 365d)")
    String ttl;

    @Option(names = "--subject", paramLabel = "SUBJECT",
        description = "Who the token speaks for (default: the current user name)")
    String subject;

    @Option(names = "--kind", defaultValue = "user", paramLabel = "user|service",
        description = "user (a person or an agent) or service (a platform component); default: ${DEFAULT-VALUE}")
    String kind;

    @Override
    protected int execute() throws CliException {
      if (!(Principal.ALL_TENANTS.equals(tenant) || TENANT.matcher(tenant).matches())) {
        throw CliException.usage("--tenant: must be a tenant name (lower-case letters, digits and '-', "
            + "starting with a letter) or * for all tenants, not '" + tenant + "'");
      }
      Set<String> roleSet = parseRoles(roles);
      Duration lifetime;
      try {
        lifetime = Ttl.parse(ttl);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--ttl: " + e.getMessage());
      }
      String who = subject != null ? subject : System.getProperty("user.name", "cli");
      if (who == null || who.isBlank() || who.length() > 255 || who.chars().anyMatch(Character::isISOControl)) {
        throw CliException.usage("--subject: must be 1 to 255 printable characters");
      }
      PrincipalKind principalKind;
      try {
        principalKind = PrincipalKind.fromId(kind.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--kind: must be user or service, not '" + kind + "'");
      }

      PlatformOptions server;
      try {
        server = ConfigLoader.load(config, ServerCommand.serverEnvironment(root().env()));
      } catch (ConfigLoader.ConfigException | IllegalArgumentException e) {
        throw CliException.usage((config != null ? "--config: " : "") + e.getMessage());
      }
      if (!server.getSecurity().isLocalKey()) {
        throw CliException.usage("--config: the server does not trust a local signing key (auth.localKey is "
            + "false); mint tokens with the issuer its auth.token settings name");
      }
      checkRolesKnown(roleSet, server);
      LocalSigningKey key = load(dataDir != null ? Path.of(dataDir) : Path.of(server.getDataDir()),
          server.getSecurity().getToken());
      out().println(key.mint(who, tenant, roleSet, principalKind, lifetime));
      return 0;
    }

    static Set<String> parseRoles(String roles) throws CliException {
      Set<String> out = new TreeSet<>();
      for (String role : roles.split(",", -1)) {
        String name = role.strip();
        if (!ROLE.matcher(name).matches()) {
          throw CliException.usage("--roles: '" + name + "' is not a role name (lower-case letters, digits, "
              + "':', '_' and '-', starting with a letter); separate roles with commas");
        }
        out.add(name);
      }
      return out;
    }

    /**
     * Refuses a role the server does not know (a typo such as {@code develper}): such a token would be valid and
     * grant nothing by that role, and the mistake would show only as 403s later.
     */
    private void checkRolesKnown(Set<String> roleSet, PlatformOptions server) throws CliException {
      RolePolicy policy;
      try {
        policy = RolePolicy.fromJson(server.getSecurity().getRoles());
      } catch (IllegalArgumentException e) {
        throw CliException.usage((config != null ? "--config: " : "") + "auth.roles: " + e.getMessage());
      }
      String scope = Principal.ALL_TENANTS.equals(tenant) ? null : tenant;
      for (String role : roleSet) {
        if (!policy.knows(scope, role)) {
          throw CliException.usage("--roles: '" + role + "' is not a role the server knows; the built-in roles are "
              + String.join(", ", new TreeSet<>(RolePolicy.builtInRoles().keySet()))
              + ", and others are defined under auth.roles in the server's configuration (pass it with --config)");
        }
      }
    }

    private static LocalSigningKey load(Path dataDir, TokenVerifierOptions verifier) throws CliException {
      Path keyFile = dataDir.resolve(LocalSigningKey.KEY_FILE);
      if (!Files.isRegularFile(keyFile)) {
        throw CliException.usage("--data-dir: no signing key at " + keyFile + "; the server creates it on its "
            + "first start, so start it with this data directory (cs server --data-dir " + dataDir
            + ") or pass the directory the server uses");
      }
      try {
        return LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions()
            .setDataDir(dataDir.toString())
            .setIssuer(verifier.getIssuer())
            .setAudience(verifier.getAudience()));
      } catch (IOException e) {
        throw new CliException(CliException.FAILED, e.getMessage(), e);
      }
    }
  }
}
