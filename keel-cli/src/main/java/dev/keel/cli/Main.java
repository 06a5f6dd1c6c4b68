package dev.keel.cli;

import dev.keel.cli.bench.BenchCommand;
import dev.keel.cli.demo.DemoCommand;
import dev.keel.core.KeelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** The {@code keel} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        quietLogging(args);
        System.exit(run(Invocation.ofProcess(), args));
    }

    /**
     * Runs one command line and returns its exit code; never calls {@link System#exit}. The
     * commands that run against a session are declared with their subcommands and find the
     * invocation at this tree's root ({@link SessionCommand}); the others are given it here.
     */
    public static int run(Invocation invocation, String... args) {
        CommandLine keel = new CommandLine(new Keel(invocation))
                .addSubcommand(new ServerCommand(invocation))
                .addSubcommand(new ServeCommand(invocation))
                .addSubcommand(ExperimentsCommand.class)
                .addSubcommand(RunsCommand.class)
                .addSubcommand(ModelsCommand.class)
                .addSubcommand(AuditCommand.class)
                .addSubcommand(ApprovalsCommand.class)
                .addSubcommand(AccessCommand.Users.class).addSubcommand(AccessCommand.Tokens.class)
                .addSubcommand(PermissionsCommand.class)
                .addSubcommand(EndpointsCommand.class)
                .addSubcommand(new DemoCommand(invocation))
                .addSubcommand(new BenchCommand(invocation));
        keel.setOut(new PrintWriter(invocation.out(), true));
        keel.setErr(new PrintWriter(invocation.err(), true));
        keel.setParameterExceptionHandler((e, args1) -> {
            invocation.err().println("error: " + e.getMessage());
            invocation.err().println("see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return ExitCode.BAD_INPUT.value();
        });
        keel.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(invocation, e));
        return keel.execute(args);
    }

    /** Expected failures are one line; only a bug earns a stack trace, and only on request. */
    private static int report(Invocation invocation, Exception e) {
        if (e instanceof KeelException keel) {
            invocation.err().println("error: " + keel.getMessage());
            return ExitCode.of(keel).value();
        }
        invocation.err().println("error: " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
        if ("1".equals(invocation.env().get("KEEL_DEBUG"))) {
            e.printStackTrace(invocation.err());
        } else {
            invocation.err().println("(set KEEL_DEBUG=1 for the stack trace)");
        }
        return ExitCode.FAILURE.value();
    }

    /**
     * Libraries speak only when something is wrong. Keel's own start-up lines are for the
     * server; a one-shot command such as {@code keel runs list} prints only its answer.
     */
    private static void quietLogging(String[] args) {
        boolean server = Arrays.stream(args).filter(arg -> !arg.startsWith("-")).findFirst()
                .map(command -> command.equals("server") || command.equals("serve")).orElse(false);
        if (!server) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.keel", "warn");
        }
        // Tribuo and a few others log through java.util.logging
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
        handler.setLevel(Level.WARNING);
        root.addHandler(handler);
    }

    @Command(name = "keel", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Keel: experiments, runs and models on the JVM.",
            footer = {"", "Embedded on the store in KEEL_HOME (default ./.keel) or KEEL_STORE;",
                    "remote when KEEL_URL names a Keel server."})
    static final class Keel implements Callable<Integer> {
        private final Invocation invocation;
        @Spec
        private CommandSpec spec;

        Keel(Invocation invocation) {
            this.invocation = invocation;
        }

        Invocation invocation() {
            return invocation;
        }

        @Override
        public Integer call() {
            spec.commandLine().usage(invocation.out());
            return ExitCode.OK.value();
        }
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"keel " + (version == null ? "(development build)" : version)};
        }
    }
}
