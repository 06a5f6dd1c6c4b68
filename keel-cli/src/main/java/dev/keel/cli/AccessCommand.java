package dev.keel.cli;

import dev.keel.api.Keel;
import dev.keel.api.access.AccessService;
import dev.keel.api.access.ApiToken;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.core.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

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

    static CommandLine users(Invocation invocation) {
        return new CommandLine(new Users()).addSubcommand(new CreateUser(invocation)).addSubcommand(new ListUsers(invocation));
    }

    static CommandLine tokens(Invocation invocation) {
        return new CommandLine(new Tokens()).addSubcommand(new CreateToken(invocation))
                .addSubcommand(new ListTokens(invocation)).addSubcommand(new RevokeToken(invocation));
    }

    @Command(name = "users", mixinStandardHelpOptions = true, description = "Create and list users.",
            synopsisSubcommandLabel = "(create | list)")
    static final class Users {
    }

    @Command(name = "tokens", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens.",
            synopsisSubcommandLabel = "(create | list | revoke)")
    static final class Tokens {
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a user; the password, if any, is read from KEEL_USER_PASSWORD.")
    static final class CreateUser implements Callable<Integer> {
        private final Invocation invocation;
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;
        @Option(names = "--role", paramLabel = "ROLE", description = "admin, approver, member (default) or viewer")
        private String role = "member";

        CreateUser(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            String password = invocation.env().get("KEEL_USER_PASSWORD");
            User user = withAccess(invocation, access -> access.createUser(operator(), name, password,
                    Role.parse("role", role)));
            invocation.out().println("created user " + user.name() + " (" + user.role().name().toLowerCase()
                    + (user.hasPassword() ? ", with a password" : ", token sign-in only") + ")");
            return ExitCode.OK.value();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users and their roles.")
    static final class ListUsers implements Callable<Integer> {
        private final Invocation invocation;

        ListUsers(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            List<User> users = withAccess(invocation, access -> access.listUsers(operator()));
            Table table = new Table(List.of(Column.text("NAME"), Column.text("ROLE"), Column.text("PASSWORD"),
                    Column.text("CREATED")));
            for (User user : users) {
                table.row(List.of(user.name(), user.role().name().toLowerCase(), user.hasPassword() ? "yes" : "no",
                        Instant.ofEpochMilli(user.createdAt()).toString()));
            }
            table.print(invocation.out());
            return ExitCode.OK.value();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token and print its secret: the only time it is shown.")
    static final class CreateToken implements Callable<Integer> {
        private final Invocation invocation;
        @Option(names = "--user", paramLabel = "NAME",
                description = "whose token (against a server, the signed-in user's by default)")
        private String user;
        @Option(names = "--description", paramLabel = "TEXT", description = "what the token is for")
        private String description;
        @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "days until it expires (default: never)")
        private Integer days;

        CreateToken(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            if (days != null && days < 1) {
                throw KeelException.invalid("'--expires-in-days' must be at least 1 (got " + days + ")");
            }
            Long expiresAt = days == null ? null : Instant.now().plus(Duration.ofDays(days)).toEpochMilli();
            IssuedToken issued = withAccess(invocation, access -> access.createToken(operator(), user, description, expiresAt));
            invocation.out().println(issued.secret());
            invocation.err().println("token " + issued.token().tokenId() + " for " + issued.token().userName()
                    + " — store the secret above now; Keel keeps only its hash and cannot show it again");
            return ExitCode.OK.value();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a user's tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        private final Invocation invocation;
        @Option(names = "--user", paramLabel = "NAME",
                description = "whose tokens (against a server, the signed-in user's by default)")
        private String user;

        ListTokens(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            List<ApiToken> tokens = withAccess(invocation, access -> access.listTokens(operator(), user));
            Table table = new Table(List.of(Column.text("ID"), Column.text("DESCRIPTION"), Column.text("CREATED"),
                    Column.text("EXPIRES"), Column.text("REVOKED"), Column.text("LAST USED")));
            for (ApiToken token : tokens) {
                table.row(List.of(token.tokenId(), token.description(), time(token.createdAt()), time(token.expiresAt()),
                        time(token.revokedAt()), time(token.lastUsedAt())));
            }
            table.print(invocation.out());
            return ExitCode.OK.value();
        }

        private static String time(Long millis) {
            return millis == null ? "-" : Instant.ofEpochMilli(millis).toString();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token at once.")
    static final class RevokeToken implements Callable<Integer> {
        private final Invocation invocation;
        @Parameters(index = "0", paramLabel = "TOKEN_ID")
        private String tokenId;

        RevokeToken(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            withAccess(invocation, access -> {
                access.revokeToken(operator(), tokenId);
                return null;
            });
            invocation.out().println("revoked token " + tokenId);
            return ExitCode.OK.value();
        }
    }

    /** Who the operator of the local store is in the audit trail; a server ignores it and acts as the signed-in user. */
    static Actor operator() {
        return Actor.LOCAL;
    }

    static <T> T withAccess(Invocation invocation, Function<AccessService, T> work) {
        try (Keel session = KeelSession.open(invocation.env())) {
            return work.apply(session.access());
        }
    }
}
