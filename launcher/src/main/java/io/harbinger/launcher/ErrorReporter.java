package io.harbinger.launcher;

import io.harbinger.jsonl.JsonlFormatException;
import io.harbinger.platform.PlatformException;
import io.harbinger.serde.SchemaRegistryException;
import io.harbinger.serde.WireFormatException;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * The one place where failures become what the user reads: one line naming the cause and a non-zero exit.
 * Known root causes get a sentence; anything else its type and message, with the stack trace under
 * {@code --verbose}.
 */
public final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    /** Exit code for bad input and failed operations. */
    public static final int FAILED = 1;
    /** Exit code for a command line that does not parse. */
    public static final int USAGE = 2;

    private final Harbinger root;

    public ErrorReporter(Harbinger root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText("error: " + describe(ex)));
        if (root.verbose()) {
            ex.printStackTrace(err);
        } else if (!isKnown(ex)) {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return FAILED;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText("error: " + oneLine(ex.getMessage())));
        err.println("try: " + cmd.getCommandSpec().qualifiedName() + " --help");
        err.flush();
        return USAGE;
    }

    /** The one line for a failure, from its most telling cause. */
    static String describe(Throwable ex) {
        Throwable known = knownCause(ex);
        if (known != null) {
            return oneLine(known.getMessage());
        }
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile();
        }
        if (root instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (root instanceof IllegalArgumentException) {
            return oneLine(root.getMessage());
        }
        if (root instanceof IOException || ex instanceof UncheckedIOException) {
            return "I/O error: " + oneLine(root.getMessage());
        }
        if (root instanceof KafkaException) {
            return "Kafka: " + oneLine(root.getMessage());
        }
        return root.getClass().getSimpleName() + ": " + oneLine(root.getMessage());
    }

    private static boolean isKnown(Throwable ex) {
        return knownCause(ex) != null || ex instanceof IllegalArgumentException;
    }

    /** Our own typed failures already carry a sentence meant for the user. */
    private static Throwable knownCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PlatformException || t instanceof JsonlFormatException || t instanceof WireFormatException
                    || t instanceof SchemaRegistryException) {
                return t;
            }
        }
        return null;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
