package io.leadflow.testsupport;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails because something did not answer in time (a blocking read or a future that timed out),
 * prints every thread of the test JVM with its whole stack before the failure is reported. The services under
 * test run in that JVM, so the dump shows whether their event loops were idle, blocked, or waiting for a
 * database connection: a stall that happens once in many CI runs can then be explained from the log alone.
 * Registered for every test by {@code META-INF/services} and {@code junit-platform.properties}.
 */
public class StallDiagnostics implements TestExecutionExceptionHandler, InvocationInterceptor {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        dumpIfTimeout(context, failure);
        throw failure;
    }

    /**
     * The same for each test a {@code @TestFactory} makes: JUnit hands their failures to no exception handler, and a
     * factory's tests (one per endpoint, say) are where a stall of one endpoint shows.
     */
    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation, DynamicTestInvocationContext invocationContext, ExtensionContext context)
            throws Throwable {
        try {
            invocation.proceed();
        } catch (Throwable failure) {
            dumpIfTimeout(context, failure);
            throw failure;
        }
    }

    private static void dumpIfTimeout(ExtensionContext context, Throwable failure) {
        if (isTimeout(failure)) {
            // A dynamic test's context names no test class; its unique id names the class, the factory and the test.
            System.err.println(dump(context.getDisplayName() + " in "
                    + context.getTestClass().map(Class::getName).orElse(context.getUniqueId())));
        }
    }

    public static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException
                    || String.valueOf(cause.getMessage()).contains("Timeout on blocking read")
                    || String.valueOf(cause.getMessage()).contains("Did not observe any item or terminal signal")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Every live thread with its state, the lock it waits for and its complete stack. */
    public static String dump(String heading) {
        StringBuilder text =
                new StringBuilder("=== threads when ").append(heading).append(" timed out ===\n");
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true, Integer.MAX_VALUE)) {
            text.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
            LockInfo lock = thread.getLockInfo();
            if (lock != null) {
                text.append(" on ").append(lock);
                if (thread.getLockOwnerName() != null) {
                    text.append(" held by \"").append(thread.getLockOwnerName()).append('"');
                }
            }
            text.append('\n');
            for (StackTraceElement frame : thread.getStackTrace()) {
                text.append("    at ").append(frame).append('\n');
            }
        }
        return text.append("=== end of threads ===").toString();
    }
}
