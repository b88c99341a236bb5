package dev.netlib.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** One subcommand of the examples jar: its name, its one-line description and what it runs. */
public final class Command {
    /** A program's entry point, as {@code main(String[])}. */
    @FunctionalInterface
    public interface Main {
        /** Runs the program with the arguments left after the command's name. */
        void run(String[] args) throws Exception;
    }

    private final String name;
    private final CommandLine line;

    private Command(String name, CommandLine line) {
        this.name = name;
        this.line = line;
    }

    /** A command that takes no arguments (a scenario); extra arguments are an error. */
    public static Command scenario(String name, String description, Main main) {
        return plain(name, description, main, false);
    }

    /** A command that parses its own arguments: everything after its name is handed over as is. */
    public static Command passThrough(String name, String description, Main main) {
        return plain(name, description, main, true);
    }

    /** A picocli {@code @Command} object (with a name) whose {@code call()} runs it and returns the exit code. */
    public static Command of(Callable<Integer> annotated) {
        CommandLine line = new CommandLine(annotated);
        return new Command(line.getCommandName(), line);
    }

    private static Command plain(String name, String description, Main main, boolean takesArguments) {
        CommandSpec[] self = new CommandSpec[1];
        CommandSpec spec = CommandSpec.wrapWithoutInspection((Callable<Integer>) () -> {
            List<String> args = takesArguments ? self[0].positionalParameters().get(0).getValue() : null;
            String[] argv = args == null ? new String[0] : args.toArray(new String[0]);
            if (takesArguments) {
                Progress.during(String.join(" ", name, String.join(" ", argv)).trim(), () -> main.run(argv));
            } else {
                main.run(argv); // a scenario prints each step as it goes
            }
            return 0;
        });
        self[0] = spec;
        spec.name(name).mixinStandardHelpOptions(true);
        spec.usageMessage().description(description);
        if (takesArguments) {
            // Options of the command's own (--rounds 3) are its business: hand them over too.
            spec.parser().unmatchedOptionsArePositionalParams(true).stopAtPositional(true);
            spec.addPositional(PositionalParamSpec.builder().arity("0..*").paramLabel("ARG").type(List.class)
                    .auxiliaryTypes(String.class).description("handed to the command as is").build());
        }
        return new Command(name, new CommandLine(spec));
    }

    /** The name it is called by. */
    public String name() {
        return name;
    }

    /** Its picocli command line, for registering it under the top command. */
    public CommandLine commandLine() {
        return line;
    }
}
