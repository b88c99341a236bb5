package dev.netlib.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the examples jar: {@code java -jar netlib-examples.jar COMMAND [ARGS]}. The
 * commands are listed in {@link Commands}; picocli parses the arguments, so {@code --help} (on
 * every command too) prints to standard output and exits 0, and an unknown command or a bad value
 * is named on standard error with the usage, exit 2. A command that fails prints its error, exit 1.
 */
@CommandLine.Command(name = "netlib-examples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "netlib's demo, scenarios and benchmarks. Run as root for the real kernel; without root "
                + "the scenarios run on FakeKernel and print the commands they stand for.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Start with: java -jar netlib-examples.jar demo"})
public final class Main implements Runnable {
    @Option(names = "--stacktrace", description = "print the full stack trace of an error")
    boolean stacktrace;

    @Spec
    CommandSpec spec;

    private Main() {}

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output and error writers; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Integer plain = FastPath.execute(args, err); // the benchmarks' plain forms, without building picocli's model
        if (plain != null) {
            return plain;
        }
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        for (Command c : Commands.ALL) {
            cli.addSubcommand(c.name(), c.commandLine());
        }
        cli.setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, argv) -> {
            CommandLine line = e.getCommandLine();
            PrintWriter w = line.getErr();
            if (line == cli && e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                    && !u.getUnmatched().get(0).startsWith("-")) {
                w.println("unknown command '" + u.getUnmatched().get(0) + "'");
                UnmatchedArgumentException.printSuggestions(u, w);
            } else {
                w.println(e.getMessage());
            }
            line.usage(w);
            w.flush();
            return line.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((e, line, parsed) -> failed(line.getCommandName(), e, main.stacktrace, line.getErr()));
        return cli.execute(args);
    }

    /** Reports a command that failed (its error and causes, the stack trace if asked for) and returns its exit status, 1. */
    static int failed(String command, Exception e, boolean stacktrace, PrintWriter err) {
        err.println(command + ": " + describe(e));
        if (stacktrace) {
            e.printStackTrace(err);
        } else {
            err.println("(run with --stacktrace before the command for the details)");
        }
        err.flush();
        return 1;
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.getClass().getName());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            s.append("\n  caused by: ").append(c.getMessage() != null ? c.getMessage() : c.getClass().getName());
        }
        return s.toString();
    }

    /** No command: the usage, on standard error, and the exit status of a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "no command given: pick one of the commands below");
    }

    /** The version from the jar's Maven metadata. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/dev.netlib/netlib-examples/pom.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"netlib-examples " + p.getProperty("version", "(development build)")};
        }
    }
}
