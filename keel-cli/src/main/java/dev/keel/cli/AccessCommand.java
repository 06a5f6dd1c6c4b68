package dev.keel.cli;

import dev.keel.api.access.ApiToken;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.core.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code keel users create|list} and {@code keel tokens create|list|revoke}: users and API
 * tokens, managed on the store by its operator (to prepare a server started with {@code --auth}),
 * or with {@code KEEL_URL} on a server as the user {@code KEEL_TOKEN} signs in as (admins manage
 * users and anyone's tokens; everyone their own tokens). A new user's password comes from
 * {@code KEEL_USER_PASSWORD}, never from the command line, where other users of the machine could read it.
 */
final class AccessCommand {
    private AccessCommand() {
    }

    @Command(name = "users", mixinStandardHelpOptions = true, description = "Create and list users.",
            synopsisSubcommandLabel = "(create | list)", subcommands = {CreateUser.class, ListUsers.class})
    static final class Users {
    }

    @Command(name = "tokens", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens.",
            synopsisSubcommandLabel = "(create | list | revoke)",
            subcommands = {CreateToken.class, ListTokens.class, RevokeToken.class})
    static final class Tokens {
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user; the password, if any, is read from KEEL_USER_PASSWORD.")
    static final class CreateUser extends SessionCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;
        @Option(names = "--role", paramLabel = "ROLE", description = "admin, approver, member (default) or viewer")
        private String role = "member";

        @Override
        void run(Session session) {
            String password = session.invocation().env().get("KEEL_USER_PASSWORD");
            User user = session.access().createUser(Actor.LOCAL, name, password, Role.parse("role", role));
            session.out().println("created user " + user.name() + " (" + user.role().name().toLowerCase()
                    + (user.hasPassword() ? ", with a password" : ", token sign-in only") + ")");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users and their roles.")
    static final class ListUsers extends SessionCommand {
        @Override
        void run(Session session) {
            Table table = new Table(List.of(Column.text("NAME"), Column.text("ROLE"), Column.text("PASSWORD"),
                    Column.text("CREATED")));
            for (User user : session.access().listUsers(Actor.LOCAL)) {
                table.row(List.of(user.name(), user.role().name().toLowerCase(), user.hasPassword() ? "yes" : "no",
                        Instant.ofEpochMilli(user.createdAt()).toString()));
            }
            table.print(session.out());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token and print its secret: the only time it is shown.")
    static final class CreateToken extends SessionCommand {
        @Option(names = "--user", paramLabel = "NAME",
                description = "whose token (against a server, the signed-in user's by default)")
        private String user;
        @Option(names = "--description", paramLabel = "TEXT", description = "what the token is for")
        private String description;
        @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "days until it expires (default: never)")
        private Integer days;

        @Override
        void run(Session session) {
            if (days != null && days < 1) {
                throw KeelException.invalid("'--expires-in-days' must be at least 1 (got " + days + ")");
            }
            Long expiresAt = days == null ? null : Instant.now().plus(Duration.ofDays(days)).toEpochMilli();
            IssuedToken issued = session.access().createToken(Actor.LOCAL, user, description, expiresAt);
            session.out().println(issued.secret());
            session.err().println("token " + issued.token().tokenId() + " for " + issued.token().userName()
                    + " — store the secret above now; Keel keeps only its hash and cannot show it again");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a user's tokens (never their secrets).")
    static final class ListTokens extends SessionCommand {
        @Option(names = "--user", paramLabel = "NAME",
                description = "whose tokens (against a server, the signed-in user's by default)")
        private String user;

        @Override
        void run(Session session) {
            Table table = new Table(List.of(Column.text("ID"), Column.text("DESCRIPTION"), Column.text("CREATED"),
                    Column.text("EXPIRES"), Column.text("REVOKED"), Column.text("LAST USED")));
            for (ApiToken token : session.access().listTokens(Actor.LOCAL, user)) {
                table.row(List.of(token.tokenId(), token.description(), time(token.createdAt()), time(token.expiresAt()),
                        time(token.revokedAt()), time(token.lastUsedAt())));
            }
            table.print(session.out());
        }

        private static String time(Long millis) {
            return millis == null ? "-" : Instant.ofEpochMilli(millis).toString();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token at once.")
    static final class RevokeToken extends SessionCommand {
        @Parameters(index = "0", paramLabel = "TOKEN_ID")
        private String tokenId;

        @Override
        void run(Session session) {
            session.access().revokeToken(Actor.LOCAL, tokenId);
            session.out().println("revoked token " + tokenId);
        }
    }
}
